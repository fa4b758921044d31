package verify_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/verify"
)

func TestNormalizeNameDotLookalikes(t *testing.T) {
	const want = "阿依古丽·买买提"
	for _, r := range verify.DotLookalikes() {
		in := "阿依古丽" + string(r) + "买买提"
		t.Run(fmt.Sprintf("U+%04X", r), func(t *testing.T) {
			if got := verify.NormalizeName(in); got != want {
				t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
			}
			if got := verify.MatchName(in, want); got != verify.FieldMatch {
				t.Errorf("MatchName(%q, %q) = %v, want match", in, want, got)
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"张伟", "张伟"},
		{" 张 伟 ", "张伟"},
		{"张\u3000伟", "张伟"}, // ideographic space
		{"阿依古丽 · 买买提", "阿依古丽·买买提"},
		{"阿依古丽··买买提", "阿依古丽·买买提"},
		{"阿依古丽\uFF65买买提", "阿依古丽·买买提"}, // half-width katakana middle dot
		{"阿依古丽\u0387买买提", "阿依古丽·买买提"}, // Greek ano teleia (NFKC → U+00B7)
		{"ＡＢＣ", "ABC"},
		{"ｚｈａｎｇ　ｗｅｉ", "ZHANG WEI"},
		{"zhang  wei", "ZHANG WEI"},
		{"王𠮷", "王𠮷"}, // U+20BB7 outside the BMP
		{"王 𠮷", "王𠮷"},
		{"葛\U000E0100西", "葛西"},   // ideographic variation sequence (IVS): same character
		{"王𠮷\U000E0101", "王𠮷"},   // IVS after a character outside the BMP
		{"王\uFE00吉", "王吉"},       // standardized variation sequence
		{"阿\u180B依", "阿依"},       // Mongolian free variation selector
		{"e\u0301", "É"},         // NFKC composes
		{"e \u0301", "E \u0301"}, // a lone mark after a Latin letter and a space stays apart
		{"\u200B张\u200D伟", "张伟"},
		{"", ""},
		{"   ", ""},
		{"ﾔﾏﾀﾞ", "ヤマダ"}, // half-width katakana widened
	}
	for _, tt := range tests {
		if got := verify.NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMatchName(t *testing.T) {
	tests := []struct {
		claimed, recorded string
		want              verify.FieldResult
	}{
		{"张伟", "张伟", verify.FieldMatch},
		{"张 伟", "张伟", verify.FieldMatch},
		{"张伟", "张玮", verify.FieldMismatch},
		{"王𠮷", "王𠮷", verify.FieldMatch},
		{"王吉", "王𠮷", verify.FieldMismatch}, // the common 吉 is another character
		{"葛西\U000E0100", "葛西", verify.FieldMatch},
		{"𠮷田", "𠮷\U000E0100田", verify.FieldMatch},
		{"阿依古丽买买提", "阿依古丽·买买提", verify.FieldLenientMatch},
		{"阿依古丽 买买提", "阿依古丽·买买提", verify.FieldLenientMatch},
		{"阿依古丽・买买提", "阿依古丽·买买提", verify.FieldMatch}, // U+30FB
		{"", "张伟", verify.FieldNotProvided},
		{"张伟", "", verify.FieldNotInRecord},
	}
	for _, tt := range tests {
		if got := verify.MatchName(tt.claimed, tt.recorded); got != tt.want {
			t.Errorf("MatchName(%q, %q) = %v, want %v", tt.claimed, tt.recorded, got, tt.want)
		}
	}
}

// The transliterations follow ICAO Doc 9303 Part 3 (8th ed., 2021), section 6,
// "Transliteration of multinational Latin-based characters": Ä→AE or A, Ö→OE or O,
// Ü→UE or U, Å→AA or A, Æ→AE, Ø→OE, ß→SS, Þ→TH; '<' is the filler, '<<' separates
// primary and secondary identifiers.
func TestLatinNameForms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Müller", []string{"MUELLER", "MULLER"}},
		{"MÜLLER<<ANNA", []string{"MUELLER ANNA", "MULLER ANNA"}},
		{"Straße", []string{"STRASSE"}},
		{"Ærø", []string{"AEROE"}},
		{"Ångström", []string{"AANGSTROEM", "AANGSTROM", "ANGSTROEM", "ANGSTROM"}},
		{"José García", []string{"JOSE GARCIA"}},
		{"O'Brien-Smith", []string{"O BRIEN SMITH"}},
		{"ERIKSSON<<ANNA<MARIA", []string{"ERIKSSON ANNA MARIA"}},
		{"Þórr", []string{"THORR"}},
		{"ＭＵＬＬＥＲ", []string{"MULLER"}},
		{"", []string{""}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, verify.LatinNameForms(tt.in)); diff != "" {
			t.Errorf("LatinNameForms(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestLatinNameFormsCapped(t *testing.T) {
	in := "ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄ" // 20 characters with two options: 2^20 combinations
	// Past the cap only the uniform forms remain, and they stay uniform to the end.
	want := []string{strings.Repeat("A", 20), strings.Repeat("AE", 20)}
	if diff := cmp.Diff(want, verify.LatinNameForms(in)); diff != "" {
		t.Errorf("LatinNameForms(%q) mismatch (-want +got):\n%s", in, diff)
	}
	// A long name costs bounded work: only its first MaxNormalizeBytes bytes (2048 × Ä)
	// are read, with the same two forms.
	long := strings.Repeat("Ä", 20000)
	n := verify.MaxNormalizeBytes / len("Ä")
	want = []string{strings.Repeat("A", n), strings.Repeat("AE", n)}
	if diff := cmp.Diff(want, verify.LatinNameForms(long)); diff != "" {
		t.Errorf("LatinNameForms(20000 × Ä) mismatch")
	}
	// Six characters with two options give all 64 combinations.
	if got := verify.LatinNameForms("ÄÖÜÅÄÖ"); len(got) != 64 {
		t.Errorf("LatinNameForms(ÄÖÜÅÄÖ) gave %d forms, want 64", len(got))
	}
}

func TestMatchLatinName(t *testing.T) {
	tests := []struct {
		claimed, recorded string
		want              verify.FieldResult
	}{
		{"MÜLLER ANNA", "MUELLER ANNA", verify.FieldMatch},
		{"MUELLER ANNA", "MÜLLER ANNA", verify.FieldMatch},
		{"MULLER ANNA", "MÜLLER ANNA", verify.FieldMatch},
		{"muller anna", "MÜLLER<<ANNA", verify.FieldMatch},
		{"MUELLER ANNA", "MULLER ANNA", verify.FieldMismatch}, // two different ASCII spellings
		{"ANNA MÜLLER", "MÜLLER ANNA", verify.FieldLenientMatch},
		{"ERIKSSON ANNA-MARIA", "ERIKSSON<<ANNA<MARIA", verify.FieldMatch},
		{"LYU XIAOHONG", "LYU XIAOHONG", verify.FieldMatch},
		{"LYUXIAOHONG", "LYU XIAOHONG", verify.FieldLenientMatch},
		{"LV XIAOHONG", "LYU XIAOHONG", verify.FieldMismatch},
		{"", "LYU XIAOHONG", verify.FieldNotProvided},
		{"LYU", "", verify.FieldNotInRecord},
	}
	for _, tt := range tests {
		if got := verify.MatchLatinName(tt.claimed, tt.recorded); got != tt.want {
			t.Errorf("MatchLatinName(%q, %q) = %v, want %v", tt.claimed, tt.recorded, got, tt.want)
		}
	}
}

func TestMatchAddress(t *testing.T) {
	const rec = "北京市朝阳区建国路88号院3号楼2单元501室"
	tests := []struct {
		claimed string
		want    verify.FieldResult
	}{
		{rec, verify.FieldMatch},
		{"北京市 朝阳区 建国路８８号院３号楼２单元５０１室", verify.FieldMatch},      // spaces, full-width digits
		{"朝阳区建国路88号院3号楼2单元501室", verify.FieldLenientMatch},    // province dropped
		{"建国路88号院3号楼2单元501室", verify.FieldLenientMatch},       // province and district dropped
		{"北京朝阳区建国路88号院3号楼2单元501室", verify.FieldMismatch},      // not the record minus whole divisions
		{"中国北京市朝阳区建国路88号院3号楼2单元501室", verify.FieldMismatch},   // 中国 is no division
		{"北京市朝阳区建国路88号院", verify.FieldMismatch},               // a part only
		{"3号楼2单元501室", verify.FieldMismatch},                  // the generic flat
		{"北京市朝阳区建国路88号院3号楼2单元501室（东门）", verify.FieldMismatch}, // something appended
		{"北京市", verify.FieldMismatch},
		{"上海市徐汇区漕溪北路200弄5号", verify.FieldMismatch},
		{"", verify.FieldNotProvided},
	}
	for _, tt := range tests {
		if got := verify.MatchAddress(tt.claimed, rec); got != tt.want {
			t.Errorf("MatchAddress(%q, rec) = %v, want %v", tt.claimed, got, tt.want)
		}
	}
}

func TestNormalizeNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"11010519491231002x", "11010519491231002X"},
		{"１１０１０５１９９００３０７１２３９", "110105199003071239"},
		{"110105 19900307 1239", "110105199003071239"},
		{"e1234-5678", "E12345678"},
	}
	for _, tt := range tests {
		if got := verify.NormalizeNumber(tt.in); got != tt.want {
			t.Errorf("NormalizeNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzNormalizeName(f *testing.F) {
	for _, s := range []string{
		"张伟", "阿依古丽·买买提", "阿依古丽 ・ 买买提", "王𠮷", "ＡＢＣ", "MÜLLER<<ANNA", "e \u0301",
		"\xff\xfe", " · ", "..", "ﾔﾏﾀﾞ", "a \u0301\u0301 b", "\u1100 \u1161", "ǅ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := verify.NormalizeName(s)
		if !utf8.ValidString(n) {
			t.Fatalf("NormalizeName(%q) = %q: invalid UTF-8", s, n)
		}
		if n2 := verify.NormalizeName(n); n2 != n {
			t.Fatalf("not idempotent: NormalizeName(%q) = %q, NormalizeName(%q) = %q", s, n, n, n2)
		}
		_ = verify.LatinNameForms(s)
		a := verify.NormalizeAddress(s)
		if a2 := verify.NormalizeAddress(a); a2 != a {
			t.Fatalf("NormalizeAddress not idempotent: %q -> %q -> %q", s, a, a2)
		}
		// A usable name matches itself; invalid UTF-8, a bidirectional control, U+FFFD
		// or a name over the limit matches nothing, itself included.
		usable := len(s) <= verify.MaxNameBytes && utf8.ValidString(s) && !strings.ContainsRune(n, utf8.RuneError) &&
			!strings.ContainsFunc(s, func(r rune) bool {
				return r == '\u061C' || r == '\u200E' || r == '\u200F' || r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069'
			})
		if a != "" && usable && len(s) <= verify.MaxAddressBytes && !strings.ContainsRune(a, utf8.RuneError) {
			if got := verify.MatchAddress(s, s); got != verify.FieldMatch {
				t.Fatalf("MatchAddress(%q, itself) = %v, want match", s, got)
			}
		}
		switch got := verify.MatchName(s, s); {
		case n != "" && usable && got != verify.FieldMatch:
			t.Fatalf("MatchName(%q, itself) = %v, want match", s, got)
		case s != "" && !usable && got != verify.FieldMismatch:
			t.Fatalf("MatchName(%q, itself) = %v, want mismatch", s, got)
		}
	})
}
