package docnum

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

type permitView struct {
	Kind     Kind
	Series   Series
	Number   string
	Holder   string
	Count    int
	HasCount bool
	Masked   string
}

// Sources for each block are cited in permit.go: NIA notice of 10 December
// 2018 (C series), MPS "港澳居民来往内地通行证号码规则" (2010, H/M), the 2008
// Taiwan residents' permit announcement; W, L and T as listed in the issue.
func TestParsePermits(t *testing.T) {
	parsers := map[Kind]func(string) (Permit, error){
		KindHKMacaoExitEntryPermit: ParseHKMacaoExitEntryPermit,
		KindHKMacaoResidentsPermit: ParseHKMacaoResidentsPermit,
		KindTaiwanExitEntryPermit:  ParseTaiwanExitEntryPermit,
		KindTaiwanResidentsPermit:  ParseTaiwanResidentsPermit,
	}
	valid := []struct {
		kind Kind
		in   string
		want permitView
	}{
		{KindHKMacaoExitEntryPermit, "C12345678", permitView{KindHKMacaoExitEntryPermit, SeriesHKMacaoCard, "C12345678", "C12345678", 0, false, "C1*****78"}},
		{KindHKMacaoExitEntryPermit, "CA0000001", permitView{KindHKMacaoExitEntryPermit, SeriesHKMacaoCard, "CA0000001", "CA0000001", 0, false, "CA*****01"}},
		{KindHKMacaoExitEntryPermit, "cz1234567", permitView{KindHKMacaoExitEntryPermit, SeriesHKMacaoCard, "CZ1234567", "CZ1234567", 0, false, "CZ*****67"}},
		{KindHKMacaoExitEntryPermit, "W12345678", permitView{KindHKMacaoExitEntryPermit, SeriesHKMacaoBooklet, "W12345678", "W12345678", 0, false, "W1*****78"}},
		{KindHKMacaoResidentsPermit, "H12345678", permitView{KindHKMacaoResidentsPermit, SeriesHongKongResident, "H12345678", "H12345678", 0, false, "H1*****78"}},
		{KindHKMacaoResidentsPermit, "H1234567800", permitView{KindHKMacaoResidentsPermit, SeriesHongKongResident, "H1234567800", "H12345678", 0, true, "H1*******00"}},
		{KindHKMacaoResidentsPermit, "m1234567803", permitView{KindHKMacaoResidentsPermit, SeriesMacaoResident, "M1234567803", "M12345678", 3, true, "M1*******03"}},
		{KindHKMacaoResidentsPermit, "M87654321", permitView{KindHKMacaoResidentsPermit, SeriesMacaoResident, "M87654321", "M87654321", 0, false, "M8*****21"}},
		{KindTaiwanExitEntryPermit, "L12345678", permitView{KindTaiwanExitEntryPermit, SeriesTaiwanCard, "L12345678", "L12345678", 0, false, "L1*****78"}},
		{KindTaiwanExitEntryPermit, "T12345678", permitView{KindTaiwanExitEntryPermit, SeriesTaiwanBooklet, "T12345678", "T12345678", 0, false, "T1*****78"}},
		{KindTaiwanResidentsPermit, "12345678", permitView{KindTaiwanResidentsPermit, SeriesTaiwanResidentLifetime, "12345678", "12345678", 0, false, "12****78"}},
		{KindTaiwanResidentsPermit, "1234567801", permitView{KindTaiwanResidentsPermit, SeriesTaiwanResidentLegacy, "1234567801", "12345678", 1, true, "12******01"}},
		{KindTaiwanResidentsPermit, "1234567812(B)", permitView{KindTaiwanResidentsPermit, SeriesTaiwanResidentLegacy, "1234567812(B)", "12345678", 12, true, "12*********B)"}},
		{KindTaiwanResidentsPermit, "1234567801（d）", permitView{KindTaiwanResidentsPermit, SeriesTaiwanResidentLegacy, "1234567801(D)", "12345678", 1, true, "12*********D)"}},
		{KindTaiwanResidentsPermit, "1234567801(3)", permitView{KindTaiwanResidentsPermit, SeriesTaiwanResidentLegacy, "1234567801(3)", "12345678", 1, true, "12*********3)"}},
	}
	for _, tc := range valid {
		p, err := parsers[tc.kind](tc.in)
		if err != nil {
			t.Errorf("Parse %v (%q) error = %v", tc.kind, tc.in, err)
			continue
		}
		count, has := p.IssueCount()
		got := permitView{p.Kind(), p.Series(), p.Number(), p.HolderNumber(), count, has, p.String()}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Parse %v (%q) mismatch (-want +got):\n%s", tc.kind, tc.in, diff)
		}
	}

	invalid := []struct {
		kind Kind
		in   string
		want error
		pos  int
	}{
		{KindHKMacaoExitEntryPermit, "", ErrLength, 0},
		{KindHKMacaoExitEntryPermit, "C1234567", ErrLength, 0},
		{KindHKMacaoExitEntryPermit, "C123456789", ErrLength, 0},
		{KindHKMacaoExitEntryPermit, "CI1234567", ErrCharacter, 2},
		{KindHKMacaoExitEntryPermit, "CO1234567", ErrCharacter, 2},
		{KindHKMacaoExitEntryPermit, "CAB234567", ErrCharacter, 3},
		{KindHKMacaoExitEntryPermit, "WA1234567", ErrCharacter, 2},
		{KindHKMacaoExitEntryPermit, "H12345678", ErrPrefix, 1},
		{KindHKMacaoExitEntryPermit, "E12345678", ErrPrefix, 1},
		{KindHKMacaoExitEntryPermit, "C 2345678", ErrCharacter, 2},
		{KindHKMacaoResidentsPermit, "H1234567", ErrLength, 0},
		{KindHKMacaoResidentsPermit, "H123456789", ErrLength, 0}, // 9 digits: neither form
		{KindHKMacaoResidentsPermit, "H12345678901", ErrLength, 0},
		{KindHKMacaoResidentsPermit, "HA2345678", ErrCharacter, 2},
		{KindHKMacaoResidentsPermit, "M12345678A0", ErrCharacter, 10},
		{KindHKMacaoResidentsPermit, "K12345678", ErrPrefix, 1},
		{KindHKMacaoResidentsPermit, "C12345678", ErrPrefix, 1},
		{KindTaiwanExitEntryPermit, "L1234567", ErrLength, 0},
		{KindTaiwanExitEntryPermit, "LA2345678", ErrCharacter, 2},
		{KindTaiwanExitEntryPermit, "C12345678", ErrPrefix, 1},
		{KindTaiwanResidentsPermit, "1234567", ErrLength, 0},
		{KindTaiwanResidentsPermit, "123456789", ErrLength, 0},
		{KindTaiwanResidentsPermit, "1234567801B", ErrLength, 0}, // the office code comes in brackets
		{KindTaiwanResidentsPermit, "12345678901234", ErrLength, 0},
		{KindTaiwanResidentsPermit, "1234567A", ErrCharacter, 8},
		{KindTaiwanResidentsPermit, "1234567801(BB", ErrCharacter, 13},
		{KindTaiwanResidentsPermit, "1234567801[B]", ErrCharacter, 11},
		{KindTaiwanResidentsPermit, "(2345678)", ErrLength, 0},
		{KindTaiwanResidentsPermit, "(1234567)", ErrLength, 0},
		{KindTaiwanResidentsPermit, "(2345678", ErrCharacter, 1},
		{KindTaiwanResidentsPermit, "T12345678", ErrLength, 0},
		{KindTaiwanResidentsPermit, "T1234567", ErrCharacter, 1},
	}
	for _, tc := range invalid {
		_, err := parsers[tc.kind](tc.in)
		checkError(t, "Parse "+tc.kind.String(), tc.in, tc.kind, err, tc.want, tc.pos)
	}
}

// Parens are allowed only for the Taiwan residents' permit.
func TestParensOnlyForTaiwanResidents(t *testing.T) {
	_, err := ParseHKMacaoResidentsPermit("H12345678(1)")
	checkError(t, "ParseHKMacaoResidentsPermit", "H12345678(1)", KindHKMacaoResidentsPermit, err, ErrLength, 0)
	_, err = ParseHKMacaoResidentsPermit("H1234567(1)")
	checkError(t, "ParseHKMacaoResidentsPermit", "H1234567(1)", KindHKMacaoResidentsPermit, err, ErrCharacter, 9)
}

func TestParseArchiveNumber(t *testing.T) {
	valid := []struct{ in, number, masked string }{
		{"110101234567", "110101234567", "11********67"},
		{"１１０１０１２３４５６７", "110101234567", "11********67"},
		{"000000000000", "000000000000", "00********00"},
	}
	for _, tc := range valid {
		a, err := ParseArchiveNumber(tc.in)
		if err != nil {
			t.Errorf("ParseArchiveNumber(%q) error = %v", tc.in, err)
			continue
		}
		got := []string{a.Number(), a.String()}
		if diff := cmp.Diff([]string{tc.number, tc.masked}, got); diff != "" {
			t.Errorf("ParseArchiveNumber(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
	invalid := []struct {
		in   string
		want error
		pos  int
	}{
		{"", ErrLength, 0},
		{"11010123456", ErrLength, 0},
		{"1101012345678", ErrLength, 0},
		{"11010123456A", ErrCharacter, 12},
		{"A10101234567", ErrCharacter, 1},
		{"110101 34567", ErrCharacter, 7},
	}
	for _, tc := range invalid {
		_, err := ParseArchiveNumber(tc.in)
		checkError(t, "ParseArchiveNumber", tc.in, KindDrivingLicenceArchive, err, tc.want, tc.pos)
	}
	if got := (ArchiveNumber{}).String(); got != "" {
		t.Errorf("zero ArchiveNumber.String() = %q, want empty", got)
	}
}
