package verify_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/verify"
)

// TestMatchNameRules: names an impostor must not be able to bend, and names real people
// type that must match.
func TestMatchNameRules(t *testing.T) {
	tests := []struct {
		name              string
		claimed, recorded string
		want              verify.FieldResult
	}{
		// Must not match.
		{"invalid UTF-8 is no wildcard for U+FFFD", "王\xff\xfe\xfd", "王\uFFFD", verify.FieldMismatch},
		{"invalid UTF-8 against itself", "王\xff", "王\xff", verify.FieldMismatch},
		{"U+FFFD typed against U+FFFD", "王\uFFFD", "王\uFFFD", verify.FieldMismatch},
		{"right-to-left override", "\u202E张伟", "张伟", verify.FieldMismatch},
		{"right-to-left override displaying 张伟", "\u202E伟张", "张伟", verify.FieldMismatch},
		{"left-to-right embedding", "\u202A张伟\u202C", "张伟", verify.FieldMismatch},
		{"first strong isolate", "\u2068张伟\u2069", "张伟", verify.FieldMismatch},
		{"right-to-left mark", "张\u200F伟", "张伟", verify.FieldMismatch},
		{"left-to-right mark", "ANNA\u200E MÜLLER", "ANNA MÜLLER", verify.FieldMismatch},
		{"Arabic letter mark", "张\u061C伟", "张伟", verify.FieldMismatch},
		{"bidi control in the record", "张伟", "\u202E张伟", verify.FieldMismatch},
		{"traditional characters without the policy", "張偉", "张伟", verify.FieldMismatch},
		{"CJK stroke is no letter", "\u31D0二", "一二", verify.FieldMismatch},

		// Must match.
		{"hyphen U+2010", "ANNA\u2010MARIA", "ANNA-MARIA", verify.FieldMatch},
		{"non-breaking hyphen U+2011", "ANNA\u2011MARIA", "ANNA-MARIA", verify.FieldMatch},
		{"en dash U+2013", "ANNA\u2013MARIA", "ANNA-MARIA", verify.FieldMatch},
		{"minus sign U+2212", "ANNA\u2212MARIA", "ANNA-MARIA", verify.FieldMatch},
		{"modifier apostrophe U+02BC", "O\u02BCBRIEN", "O'BRIEN", verify.FieldMatch},
		{"left quote U+2018", "O\u2018BRIEN", "O'BRIEN", verify.FieldMatch},
		{"right quote U+2019", "O\u2019Brien", "O'BRIEN", verify.FieldMatch},
		{"backtick", "O`BRIEN", "O'BRIEN", verify.FieldMatch},
		{"capital sharp s", "STRAẞE", "straße", verify.FieldMatch},
		{"sharp s and SS", "STRASSE", "straße", verify.FieldMatch},
		{"dotted capital I", "İLKER", "ILKER", verify.FieldMatch},
		{"i with combining dot above", "i\u0307lker", "ILKER", verify.FieldMatch},
		{"ideographic full stop for the dot", "阿依古丽。买买提", "阿依古丽·买买提", verify.FieldLenientMatch},
		{"em dash for the dot", "阿依古丽—买买提", "阿依古丽·买买提", verify.FieldLenientMatch},
		{"degree sign for the dot", "阿依古丽°买买提", "阿依古丽·买买提", verify.FieldLenientMatch},
		{"combining grapheme joiner U+034F", "张\u034F伟", "张伟", verify.FieldMatch},
		{"Hangul filler U+3164", "张\u3164伟", "张伟", verify.FieldMatch},
		{"half-width Hangul filler U+FFA0", "张\uFFA0伟", "张伟", verify.FieldMatch},
		{"braille blank U+2800", "张\u2800伟", "张伟", verify.FieldMatch},
		{"Khmer inherent vowel U+17B4", "张\u17B4伟", "张伟", verify.FieldMatch},
		{"CJK radical ⻄ U+2EC4", "\u2EC4门", "西门", verify.FieldMatch},
		{"Kangxi radical ⼈ U+2F08", "\u2F08杰", "人杰", verify.FieldMatch},
		{"CJK radical in the record", "西门", "\u2EC4门", verify.FieldMatch},
	}
	for _, tt := range tests {
		if got := verify.MatchName(tt.claimed, tt.recorded); got != tt.want {
			t.Errorf("%s: MatchName(%+q, %+q) = %v, want %v", tt.name, tt.claimed, tt.recorded, got, tt.want)
		}
	}
}

func TestLatinNameSeparators(t *testing.T) {
	for _, in := range []string{"O\u2019BRIEN", "O\u2018BRIEN", "O\u02BCBRIEN", "O`BRIEN", "O\u2010BRIEN", "O\u2013BRIEN", "O\u2212BRIEN", "O\u2014BRIEN"} {
		if got := verify.MatchLatinName(in, "O'BRIEN"); got != verify.FieldMatch {
			t.Errorf("MatchLatinName(%+q, O'BRIEN) = %v, want match", in, got)
		}
	}
	if got := verify.MatchLatinName("\u202EANNA", "ANNA"); got != verify.FieldMismatch {
		t.Errorf("MatchLatinName with a bidi control = %v, want mismatch", got)
	}
}

// TestTraditionalSimplifiedPolicy: 張偉 is 张伟 only under Policy.TraditionalSimplified,
// and then only leniently, with its own reason.
func TestTraditionalSimplifiedPolicy(t *testing.T) {
	reg := loadFixture(t)
	tests := []struct {
		name   string
		claim  string
		policy verify.Policy
		want   docWant
	}{
		{"off: mismatch", "張偉", verify.Policy{},
			docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonNameMismatch}, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldMismatch}}},
		{"on: review", "張偉", verify.Policy{TraditionalSimplified: true},
			docWant{Outcome: verify.OutcomeReview, Reasons: []verify.Reason{verify.ReasonNameTraditionalSimplified}, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldLenientMatch}}},
		{"on, one character traditional", "张偉", verify.Policy{TraditionalSimplified: true},
			docWant{Outcome: verify.OutcomeReview, Reasons: []verify.Reason{verify.ReasonNameTraditionalSimplified}, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldLenientMatch}}},
		{"on, LenientName ignore: pass", "張偉", verify.Policy{TraditionalSimplified: true, LenientName: verify.ActionIgnore},
			docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldLenientMatch}}},
		{"on, another name: mismatch", "張瑋", verify.Policy{TraditionalSimplified: true},
			docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonNameMismatch}, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldMismatch}}},
		{"on, simplified exact: plain match", "张伟", verify.Policy{TraditionalSimplified: true},
			docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldMatch}}},
		{"bidi control: invalid text, before the registry", "\u202E张伟", verify.Policy{},
			docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonFieldInvalidText}}},
		{"invalid UTF-8: invalid text, before the registry", "张\xff", verify.Policy{},
			docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonFieldInvalidText}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newChecker(t, reg, testNow, tt.policy)
			res, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: tt.claim})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, gotDoc(res)); diff != "" {
				t.Errorf("CheckDocument mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
