package verify_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trustid/trustid/verify"
)

// oversized returns s repeated to at least n bytes.
func oversized(prefix, unit string, n int) string {
	var b strings.Builder
	b.Grow(n + len(prefix) + len(unit))
	b.WriteString(prefix)
	for b.Len() < n {
		b.WriteString(unit)
	}
	return b.String()
}

// BenchmarkCheckDocumentOversized measures the cost of a claim with one huge field: past
// the field limits it must be flat in the size of the input.
func BenchmarkCheckDocumentOversized(b *testing.B) {
	c := newChecker(b, loadFixture(b), testNow, verify.Policy{})
	fields := []struct {
		name  string
		claim func(n int) verify.Claim
	}{
		{"Number", func(n int) verify.Claim {
			return verify.Claim{Kind: verify.KindIDCard, Number: oversized("", "\uFDFA", n), Name: "张伟"}
		}},
		{"Name", func(n int) verify.Claim {
			return verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: oversized("", "\uFDFA", n)}
		}},
		{"LatinName", func(n int) verify.Claim {
			return verify.Claim{Kind: verify.KindIDCard, Number: numMueller, LatinName: oversized("ÄÖÜÅÄÖ", "A ", n)}
		}},
		{"Address", func(n int) verify.Claim {
			return verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Address: oversized("", "\uFDFA", n)}
		}},
	}
	for _, f := range fields {
		for _, size := range []int{1 << 10, 64 << 10, 1 << 20, 10 << 20} {
			claim := f.claim(size)
			b.Run(fmt.Sprintf("%s/%dKB", f.name, size>>10), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := c.CheckDocument(b.Context(), claim); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkCheckDocumentAtLimit measures the worst claims that pass the input limits:
// one field just under its limit, filled with the characters that cost most.
func BenchmarkCheckDocumentAtLimit(b *testing.B) {
	c := newChecker(b, loadFixture(b), testNow, verify.Policy{})
	under := func(prefix, unit string, limit int) string {
		s := oversized(prefix, unit, limit)
		for len(s) > limit {
			s = s[:len(s)-len(unit)]
		}
		return s
	}
	claims := []struct {
		name  string
		claim verify.Claim
	}{
		{"Number", verify.Claim{Kind: verify.KindIDCard, Number: under("", "\uFDFA", verify.MaxNumberBytes), Name: "张伟"}},
		{"Name", verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: under("", "\uFDFA", verify.MaxNameBytes)}},
		{"LatinName", verify.Claim{Kind: verify.KindIDCard, Number: numMueller, LatinName: under("ÄÖÜÅÄÖ", "A ", verify.MaxNameBytes)}},
		{"Address", verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Address: under("", "\uFDFA", verify.MaxAddressBytes)}},
	}
	for _, cl := range claims {
		b.Run(cl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := c.CheckDocument(b.Context(), cl.claim)
				if err != nil || res.Has(verify.ReasonFieldTooLong) {
					b.Fatal(res, err)
				}
			}
		})
	}
}
