package quiz

import "testing"

// FuzzNormalize checks that the fast path for plain text gives what the full NFKC, width
// and case folding pipeline gives, and that nothing panics on arbitrary bytes.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"京A12345", "北京市朝阳区建国路88号", "ABC-def_1", "京Ａ１２", "Straße", " \u3000", "\xff", "K\u212a", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, d := Normalize(s), display(s)
		if plain(s) {
			if full := normalizeFull(s); n != full {
				t.Errorf("Normalize(%q) = %q, full pipeline %q", s, n, full)
			}
			if full := displayFull(s); d != full {
				t.Errorf("display(%q) = %q, full pipeline %q", s, d, full)
			}
		}
		_ = SameShape(s, n)
	})
}
