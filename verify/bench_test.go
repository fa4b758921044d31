package verify_test

import (
	"testing"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
)

func BenchmarkCheckDocument(b *testing.B) {
	c := newChecker(b, loadFixture(b), testNow, verify.Policy{})
	claim := verify.Claim{Kind: verify.KindIDCard, Number: numAyguli, Name: "阿依古丽・买买提",
		Gender: idcard.Female, BirthDate: date(1995, 6, 12), Ethnicity: "维吾尔族", Address: "新疆乌鲁木齐市天山区解放南路100号"}
	b.ReportAllocs()
	for b.Loop() {
		res, err := c.CheckDocument(b.Context(), claim)
		if err != nil || res.Outcome != verify.OutcomePass {
			b.Fatalf("%v %v", res, err)
		}
	}
}

func BenchmarkCheckAndDecide(b *testing.B) {
	c := newChecker(b, loadFixture(b), testNow, verify.Policy{Required: verify.LevelHigh})
	claim := verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"}
	b.ReportAllocs()
	for b.Loop() {
		res, err := c.CheckDocument(b.Context(), claim)
		if err != nil {
			b.Fatal(err)
		}
		d := c.Decide(res, rpFor(res, true, true), memFor(res, true))
		if d.Level != verify.LevelHigh {
			b.Fatal(d)
		}
	}
}

func BenchmarkNormalizeName(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = verify.NormalizeName("阿依古丽 ・ 买买提")
	}
}

// BenchmarkTokens measures sealing and opening the tokens a journey hands between servers:
// the document check and the decision. It reports the token's length.
func BenchmarkTokens(b *testing.B) {
	c := newChecker(b, loadFixture(b), testNow, verify.Policy{})
	doc, err := c.CheckDocument(b.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	if err != nil {
		b.Fatal(err)
	}
	d := c.Decide(doc, rpFor(doc, true, true), memFor(doc, true))
	docTok, err := c.SealDocument(doc)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("SealDocument", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.SealDocument(doc); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(docTok)), "token-bytes")
	})
	b.Run("OpenDocument", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.OpenDocument(docTok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("SealDecision", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Decisions().Seal(d); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(d.Token)), "token-bytes")
	})
	b.Run("OpenDecision", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Decisions().Open(d.Token); err != nil {
				b.Fatal(err)
			}
		}
	})
}
