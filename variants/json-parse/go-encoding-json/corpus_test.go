package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestCorpus checks every expected answer of wasm-tests/cases.wave natively,
// so that the corpus and the Go code cannot drift apart. A corpus line is a
// WAVE list<u8>, optionally followed by `=> none` or `=> some("...")`, whose
// string holds only printable ASCII, with `\\` and `\"` escaped.
func TestCorpus(t *testing.T) {
	f, err := os.Open("wasm-tests/cases.wave")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	lineNo, checked, open := 0, 0, 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		args, want, hasWant := strings.Cut(line, " => ")
		text := parseBytes(t, lineNo, args)
		got, ok := jsonParse(text)
		if !hasWant {
			open++
			t.Logf("line %d: no expectation; ok=%v %.60q", lineNo, ok, got)
			continue
		}
		checked++
		switch {
		case want == "none":
			if ok {
				t.Errorf("line %d: got some(%q), want none", lineNo, got)
			}
		case strings.HasPrefix(want, `some("`) && strings.HasSuffix(want, `")`):
			w := want[len(`some("`) : len(want)-len(`")`)]
			w = strings.NewReplacer(`\\`, `\`, `\"`, `"`).Replace(w)
			if !ok || string(got) != w {
				t.Errorf("line %d: got ok=%v %q, want %q", lineNo, ok, got, w)
			}
		default:
			t.Fatalf("line %d: cannot read the answer %q", lineNo, want)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d answers checked, %d inputs without one", checked, open)
}

func parseBytes(t *testing.T, lineNo int, s string) []byte {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
		t.Fatalf("line %d: not a list: %.40q", lineNo, s)
	}
	s = strings.TrimSpace(s[1 : len(s)-1])
	if s == "" {
		return nil
	}
	var out []byte
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 8)
		if err != nil {
			t.Fatalf("line %d: %v", lineNo, err)
		}
		out = append(out, byte(n))
	}
	return out
}
