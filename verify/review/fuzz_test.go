package review_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trustid/trustid/verify/review"
)

// FuzzImport feeds arbitrary bytes to the JSON Lines importer. It must never panic,
// must fail only with ErrInvalidArgument or ErrChainBroken, and whatever it accepts must
// verify and survive Export/Import unchanged. Seeds: a real exported trail (from the
// workflow in trail), its prefixes, and hand-written malformed lines.
func FuzzImport(f *testing.F) {
	rs := trail(f)
	var buf bytes.Buffer
	if err := review.ExportAudit(&buf, rs); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	lines := bytes.SplitAfter(buf.Bytes(), []byte("\n"))
	f.Add(lines[0])
	f.Add(bytes.Join(lines[:3], nil))
	f.Add(append(append([]byte(nil), lines[1]...), lines[0]...))
	f.Add([]byte(""))
	f.Add([]byte("\n"))
	f.Add([]byte(`{"seq":1}` + "\n"))
	f.Add([]byte(`{"seq":1,"prev":"` + string(bytes.Repeat([]byte("0"), 64)) + `","time":"2026-01-01T00:00:00Z","actor":"system","action":"draft","case":"c","state":"draft","materials":"` + string(bytes.Repeat([]byte("0"), 64)) + `","hash":"` + string(bytes.Repeat([]byte("0"), 64)) + `"}`))
	f.Add([]byte("[]\n{}\nnull\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := review.ImportAudit(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, review.ErrInvalidArgument) && !errors.Is(err, review.ErrChainBroken) {
				t.Fatalf("ImportAudit error %v matches neither ErrInvalidArgument nor ErrChainBroken", err)
			}
			return
		}
		if err := review.VerifyChain(got); err != nil {
			t.Fatalf("Import accepted a trail that does not verify: %v", err)
		}
		var out bytes.Buffer
		if err := review.ExportAudit(&out, got); err != nil {
			t.Fatalf("Export of imported trail: %v", err)
		}
		again, err := review.ImportAudit(&out)
		if err != nil {
			t.Fatalf("re-Import of exported trail: %v", err)
		}
		if diff := cmp.Diff(got, again, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("Import(Export(x)) mismatch (-want +got):\n%s", diff)
		}
	})
}
