//! Merging the reports of shards into the report of the whole run.

use super::model::{
    EnsembleReport, ReportError, RunReport, SCHEMA, VariantStats, fractions, sort_signatures,
};

impl RunReport {
    /// Merges shard reports of the same campaign into one, with totals equal to the
    /// unsharded run.
    ///
    /// # Errors
    /// [`ReportError::Mismatch`] when seeds, ensembles or variants differ, when a
    /// report is not a shard (a full run), when shards of different splits (`1/2`
    /// and `2/3`) are mixed, when a shard appears twice, or when shards are missing.
    pub fn merge(parts: &[(String, RunReport)]) -> Result<RunReport, ReportError> {
        let Some((_, first)) = parts.first() else {
            return Ok(RunReport {
                schema: SCHEMA,
                ..RunReport::default()
            });
        };
        let mut out = RunReport {
            schema: SCHEMA,
            nvx_version: first.nvx_version.clone(),
            seed: first.seed,
            generate: first.generate,
            shards: Vec::new(),
            ensembles: Vec::new(),
            peak_rss_bytes: parts.iter().filter_map(|(_, r)| r.peak_rss_bytes).max(),
            started_unix_s: parts.iter().filter_map(|(_, r)| r.started_unix_s).min(),
            host: {
                let mut hosts: Vec<&str> = parts
                    .iter()
                    .map(|(_, r)| r.host.as_str())
                    .filter(|h| !h.is_empty())
                    .collect();
                hosts.sort_unstable();
                hosts.dedup();
                hosts.join(", ")
            },
        };
        for (path, r) in parts {
            let mismatch = |message: String| ReportError::Mismatch {
                path: path.clone(),
                message,
            };
            if r.seed != out.seed || r.generate != out.generate {
                return Err(mismatch(format!(
                    "seed {} / generate {} differ from the first report's {} / {}",
                    r.seed, r.generate, out.seed, out.generate
                )));
            }
            for s in &r.shards {
                if out.shards.contains(s) {
                    return Err(mismatch(format!("shard {s} appears twice")));
                }
                out.shards.push(s.clone());
            }
            for e in &r.ensembles {
                match out
                    .ensembles
                    .iter_mut()
                    .find(|o| o.name == e.name && o.dir == e.dir)
                {
                    None => out.ensembles.push(e.clone()),
                    Some(o) => o.merge(e).map_err(mismatch)?,
                }
            }
        }
        check_shard_set(parts)?;
        out.shards.sort();
        Ok(out)
    }
}

/// Checks that `parts` are shards of one split that together cover it exactly,
/// over the same ensembles.
fn check_shard_set(parts: &[(String, RunReport)]) -> Result<(), ReportError> {
    let mismatch = |path: &str, message: String| ReportError::Mismatch {
        path: path.to_string(),
        message,
    };
    let Some((first_path, first)) = parts.first() else {
        return Ok(());
    };
    let ensembles = |r: &RunReport| {
        let mut v: Vec<(String, String)> = r
            .ensembles
            .iter()
            .map(|e| (e.name.clone(), e.dir.clone()))
            .collect();
        v.sort();
        v
    };
    let want = ensembles(first);
    let mut split: Option<u64> = None;
    let mut seen = std::collections::BTreeSet::new();
    for (path, r) in parts {
        if r.shards.is_empty() {
            return Err(mismatch(
                path,
                "it is a full run, not a shard; merging joins the shards (K/N) of one split".into(),
            ));
        }
        if ensembles(r) != want {
            let names = |v: &[(String, String)]| {
                v.iter()
                    .map(|(n, d)| format!("{n} ({d})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(mismatch(
                path,
                format!(
                    "its ensembles [{}] differ from those of {first_path} [{}]",
                    names(&ensembles(r)),
                    names(&want)
                ),
            ));
        }
        for s in &r.shards {
            let parsed = s.split_once('/').and_then(|(k, n)| {
                Some((k.trim().parse::<u64>().ok()?, n.trim().parse::<u64>().ok()?))
            });
            let Some((k, n)) = parsed.filter(|(k, n)| *k >= 1 && k <= n) else {
                return Err(mismatch(path, format!("shard `{s}` is not K/N")));
            };
            match split {
                None => split = Some(n),
                Some(m) if m != n => {
                    return Err(mismatch(
                        path,
                        format!(
                            "shard {s} belongs to a split into {n}, the others to a split into {m}"
                        ),
                    ));
                }
                Some(_) => {}
            }
            if !seen.insert(k) {
                return Err(mismatch(path, format!("shard {s} appears twice")));
            }
        }
    }
    if let Some(n) = split {
        let missing: Vec<String> = (1..=n)
            .filter(|k| !seen.contains(k))
            .map(|k| format!("{k}/{n}"))
            .collect();
        if !missing.is_empty() {
            return Err(mismatch(
                first_path,
                format!(
                    "shard(s) {} are missing; the merged totals would cover only part of the run",
                    missing.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

impl EnsembleReport {
    fn merge(&mut self, e: &EnsembleReport) -> Result<(), String> {
        let names = |v: &[VariantStats]| v.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        if names(&self.variants) != names(&e.variants) {
            return Err(format!(
                "ensemble `{}` ({}) has different variants",
                e.name, e.dir
            ));
        }
        self.inputs += e.inputs;
        if self.engines != e.engines {
            return Err(format!(
                "ensemble `{}` ({}) ran on other engines ({} against {})",
                e.name,
                e.dir,
                e.engines.join(", "),
                self.engines.join(", ")
            ));
        }
        self.divergent_inputs += e.divergent_inputs;
        self.engine_divergent_inputs += e.engine_divergent_inputs;
        self.harness_failures += e.harness_failures;
        self.no_verdict_inputs += e.no_verdict_inputs;
        self.corpus_inputs += e.corpus_inputs;
        self.generated_inputs += e.generated_inputs;
        self.nontrivial_inputs += e.nontrivial_inputs;
        self.coincidence.merge(&e.coincidence)?;
        self.classes.merge(&e.classes)?;
        self.elapsed_ns = self.elapsed_ns.saturating_add(e.elapsed_ns);
        // A baseline entry is stale in the merge only when no shard showed it.
        match (&self.baseline, &e.baseline) {
            (None, Some(_)) => {
                self.baseline.clone_from(&e.baseline);
                self.stale_baseline.clone_from(&e.stale_baseline);
            }
            (Some(_), Some(_)) => self
                .stale_baseline
                .retain(|x| e.stale_baseline.iter().any(|y| y.key == x.key)),
            _ => {}
        }
        for s in &e.signatures {
            match self
                .signatures
                .iter_mut()
                .find(|o| o.signature.key == s.signature.key)
            {
                None => self.signatures.push(s.clone()),
                Some(o) => {
                    let count = o.count + s.count;
                    let mut inputs = std::mem::take(&mut o.inputs);
                    inputs.extend(s.inputs.iter().cloned());
                    inputs.sort_by_key(|i| i.index);
                    let known = if o.is_known() { o.clone() } else { s.clone() };
                    if s.first_index < o.first_index {
                        *o = s.clone();
                    }
                    o.count = count;
                    o.inputs = inputs;
                    o.status = known.status;
                    o.known_reason = known.known_reason;
                }
            }
        }
        let seen: Vec<String> = self
            .signatures
            .iter()
            .map(|s| s.signature.key.clone())
            .collect();
        self.stale_baseline.retain(|x| !seen.contains(&x.key));
        sort_signatures(&mut self.signatures);
        for (a, b) in self.variants.iter_mut().zip(&e.variants) {
            a.agreed += b.agreed;
            a.dissented += b.dissented;
            for (k, c) in &b.failures {
                *a.failures.entry(k.clone()).or_default() += c;
            }
            a.latency.merge(&b.latency);
            a.latency_p50_ns = a.latency.quantile(0.5);
            a.latency_p99_ns = a.latency.quantile(0.99);
        }
        let n = self.agreement.counts.len();
        if e.agreement.counts.len() == n {
            for i in 0..n {
                for j in 0..n {
                    let add = e
                        .agreement
                        .counts
                        .get(i)
                        .and_then(|r| r.get(j))
                        .copied()
                        .unwrap_or(0);
                    if let Some(c) = self.agreement.counts.get_mut(i).and_then(|r| r.get_mut(j)) {
                        *c += add;
                    }
                }
            }
        }
        self.agreement.matrix = fractions(&self.agreement.counts, self.inputs);
        Ok(())
    }
}
