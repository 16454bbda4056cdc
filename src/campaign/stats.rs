//! Running totals of one ensemble's records, and the [`EnsembleReport`] they
//! make: agreement, failures, latency, pairs, coincidence, input classes and the
//! divergence signatures with their inputs.

use std::collections::BTreeMap;

use crate::ensemble::Ensemble;
use crate::report::{
    Agreement, EnsembleReport, LatencyCounter, SignatureReport, VariantStats, fractions,
    sort_signatures,
};

use super::record::{Divergence, InputRecord, where_is};

/// Which variants failed on an input, as the coincident-failure statistics count it
/// (see [`crate::coincidence`]): not the expected answer when the input carried one;
/// otherwise not on the verdict's side; `None` when there was no verdict, as such
/// inputs are counted apart.
pub(crate) fn failed(r: &InputRecord, n: usize) -> Option<Vec<bool>> {
    if !r.wrong.is_empty() {
        Some(
            (0..n)
                .map(|i| r.wrong.get(i).copied().unwrap_or(true))
                .collect(),
        )
    } else if r.verdict {
        Some(
            (0..n)
                .map(|i| r.dissent.get(i).copied().unwrap_or(true))
                .collect(),
        )
    } else {
        None
    }
}

/// Running totals of one ensemble.
pub(crate) struct Stats {
    names: Vec<String>,
    inputs: u64,
    divergent: u64,
    engine_divergent: u64,
    harness_failures: u64,
    no_verdict: u64,
    corpus: u64,
    nontrivial: u64,
    agreed: Vec<u64>,
    dissented: Vec<u64>,
    failures: Vec<BTreeMap<String, u64>>,
    latency: Vec<LatencyCounter>,
    pairs: Vec<Vec<u64>>,
    coincidence: crate::coincidence::Coincidence,
    classes: crate::classes::ClassTable,
    signatures: BTreeMap<String, SignatureTally>,
}

/// A signature's inputs so far: how many, the earliest in full, and every one as
/// the reports list it.
pub(crate) struct SignatureTally {
    count: u64,
    first: Divergence,
    first_index: u64,
    inputs: Vec<crate::report::DivergentInput>,
}

impl Stats {
    pub(crate) fn new(e: &Ensemble) -> Stats {
        let names: Vec<String> = e.variants().map(|v| v.entry.name.clone()).collect();
        let n = names.len();
        let coincidence = crate::coincidence::Coincidence::new(names.clone());
        let classes = crate::classes::ClassTable::new(names.clone());
        Stats {
            names,
            inputs: 0,
            divergent: 0,
            engine_divergent: 0,
            harness_failures: 0,
            no_verdict: 0,
            corpus: 0,
            nontrivial: 0,
            agreed: vec![0; n],
            dissented: vec![0; n],
            failures: vec![BTreeMap::new(); n],
            latency: vec![LatencyCounter::default(); n],
            pairs: vec![vec![0; n]; n],
            coincidence,
            classes,
            signatures: BTreeMap::new(),
        }
    }

    /// Counts one input's record; `class` is its input class, and its class in the
    /// input-class table with that class's rank and whether it was declared.
    pub(crate) fn add(
        &mut self,
        r: &InputRecord,
        (class, (row, rank, declared)): (&str, (&str, u32, bool)),
    ) {
        let n = self.names.len();
        self.inputs += 1;
        self.corpus += u64::from(r.corpus);
        if r.harness.is_some() {
            self.harness_failures += 1;
            if let Some(d) = &r.divergence {
                self.note_signature(d, r.index);
            }
            return;
        }
        self.nontrivial += u64::from(r.nontrivial);
        self.no_verdict += u64::from(!r.verdict);
        match failed(r, n) {
            Some(f) => self.coincidence.record(class, &f),
            None => self.coincidence.record_no_verdict(class),
        }
        self.classes.record(
            row,
            rank,
            declared,
            &crate::classes::Sides {
                verdict: r.verdict,
                dissent: &r.dissent,
                wrong: &r.wrong,
            },
        );
        for i in 0..n {
            if r.dissent.get(i).copied().unwrap_or(true) {
                self.dissented[i] += 1;
            } else {
                self.agreed[i] += 1;
            }
            if let Some(l) = r.labels.get(i).filter(|l| *l != "returned") {
                *self.failures[i].entry(l.clone()).or_default() += 1;
            }
            if let Some(ns) = r.elapsed_ns.get(i) {
                self.latency[i].record(*ns);
            }
            self.pairs[i][i] += 1;
        }
        let mut k = 0;
        for i in 0..n {
            for j in i + 1..n {
                if r.agree_pairs.get(k).copied().unwrap_or(false) {
                    self.pairs[i][j] += 1;
                    self.pairs[j][i] += 1;
                }
                k += 1;
            }
        }
        if let Some(d) = &r.divergence {
            self.divergent += 1;
            if !d.signature.engine_divergences.is_empty() {
                self.engine_divergent += 1;
            }
            self.note_signature(d, r.index);
        }
    }

    /// Counts a divergent input under its signature, keeping the earliest example
    /// and listing the input.
    fn note_signature(&mut self, d: &Divergence, index: u64) {
        let listed = crate::report::DivergentInput {
            index,
            origin: d.origin.clone(),
            name: d.name.clone(),
            input: crate::report::clip_input(
                &d.args,
                crate::report::MAX_LISTED_INPUT,
                &format!("at {}", where_is(&d.origin, index)),
            ),
            outcomes: self
                .names
                .iter()
                .cloned()
                .zip(d.outcomes.iter().cloned())
                .collect(),
        };
        let entry = self
            .signatures
            .entry(d.signature.key.clone())
            .or_insert_with(|| SignatureTally {
                count: 0,
                first: d.clone(),
                first_index: index,
                inputs: Vec::new(),
            });
        entry.count += 1;
        entry.inputs.push(listed);
        if index < entry.first_index {
            entry.first = d.clone();
            entry.first_index = index;
        }
    }

    pub(crate) fn finish(self, e: &Ensemble) -> EnsembleReport {
        let langs: Vec<String> = e.variants().map(|v| v.entry.language.clone()).collect();
        let variants = (0..self.names.len())
            .map(|i| {
                let h = self.latency[i].histogram();
                VariantStats {
                    name: self.names[i].clone(),
                    language: langs.get(i).cloned().unwrap_or_default(),
                    agreed: self.agreed[i],
                    dissented: self.dissented[i],
                    failures: self.failures[i].clone(),
                    latency_p50_ns: h.quantile(0.5),
                    latency_p99_ns: h.quantile(0.99),
                    latency: h,
                }
            })
            .collect();
        let mut signatures: Vec<SignatureReport> = self
            .signatures
            .into_values()
            .map(|mut t| {
                t.inputs.sort_by_key(|i| i.index);
                SignatureReport {
                    signature: t.first.signature,
                    count: t.count,
                    first_index: t.first_index,
                    origin: t.first.origin,
                    example_input: t.first.args.clone(),
                    shrunk_input: t.first.args,
                    outcomes: BTreeMap::new(),
                    shrink_ns: 0,
                    reproduce: String::new(),
                    replay: None,
                    example_args_file: None,
                    inputs: t.inputs,
                    status: crate::report::baseline::NEW.to_string(),
                    known_reason: None,
                }
            })
            .collect();
        sort_signatures(&mut signatures);
        EnsembleReport {
            name: e.name().to_string(),
            dir: e.dir().display().to_string(),
            policy: e.policy().to_string(),
            engines: e.engines().iter().map(|k| k.name().to_string()).collect(),
            inputs: self.inputs,
            divergent_inputs: self.divergent,
            engine_divergent_inputs: self.engine_divergent,
            harness_failures: self.harness_failures,
            no_verdict_inputs: self.no_verdict,
            corpus_inputs: self.corpus,
            generated_inputs: self.inputs - self.corpus,
            nontrivial_inputs: self.nontrivial,
            signatures,
            variants,
            agreement: Agreement {
                variants: self.names,
                matrix: fractions(&self.pairs, self.inputs),
                counts: self.pairs,
            },
            elapsed_ns: 0,
            shared_parts: crate::diversity::shared_parts(e.policy(), &e.manifest().variants),
            coincidence: self.coincidence,
            classes: self.classes,
            baseline: None,
            stale_baseline: Vec::new(),
        }
    }
}
