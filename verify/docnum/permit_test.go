package docnum

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

type permitView struct {
	Format   Format
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
	parsers := map[Format]func(string) (Permit, error){
		FormatHKMacaoExitEntryPermit: ParseHKMacaoExitEntryPermit,
		FormatHKMacaoResidentsPermit: ParseHKMacaoResidentsPermit,
		FormatTaiwanExitEntryPermit:  ParseTaiwanExitEntryPermit,
		FormatTaiwanResidentsPermit:  ParseTaiwanResidentsPermit,
	}
	valid := []struct {
		kind Format
		in   string
		want permitView
	}{
		{FormatHKMacaoExitEntryPermit, "C12345678", permitView{FormatHKMacaoExitEntryPermit, SeriesHKMacaoCard, "C12345678", "C12345678", 0, false, "C1*****78"}},
		{FormatHKMacaoExitEntryPermit, "CA0000001", permitView{FormatHKMacaoExitEntryPermit, SeriesHKMacaoCard, "CA0000001", "CA0000001", 0, false, "CA*****01"}},
		{FormatHKMacaoExitEntryPermit, "cz1234567", permitView{FormatHKMacaoExitEntryPermit, SeriesHKMacaoCard, "CZ1234567", "CZ1234567", 0, false, "CZ*****67"}},
		{FormatHKMacaoExitEntryPermit, "W12345678", permitView{FormatHKMacaoExitEntryPermit, SeriesHKMacaoBooklet, "W12345678", "W12345678", 0, false, "W1*****78"}},
		{FormatHKMacaoResidentsPermit, "H12345678", permitView{FormatHKMacaoResidentsPermit, SeriesHongKongResident, "H12345678", "H12345678", 0, false, "H1*****78"}},
		{FormatHKMacaoResidentsPermit, "H1234567800", permitView{FormatHKMacaoResidentsPermit, SeriesHongKongResident, "H1234567800", "H12345678", 0, true, "H1*******00"}},
		{FormatHKMacaoResidentsPermit, "m1234567803", permitView{FormatHKMacaoResidentsPermit, SeriesMacaoResident, "M1234567803", "M12345678", 3, true, "M1*******03"}},
		{FormatHKMacaoResidentsPermit, "M87654321", permitView{FormatHKMacaoResidentsPermit, SeriesMacaoResident, "M87654321", "M87654321", 0, false, "M8*****21"}},
		{FormatTaiwanExitEntryPermit, "L12345678", permitView{FormatTaiwanExitEntryPermit, SeriesTaiwanCard, "L12345678", "L12345678", 0, false, "L1*****78"}},
		{FormatTaiwanExitEntryPermit, "T12345678", permitView{FormatTaiwanExitEntryPermit, SeriesTaiwanBooklet, "T12345678", "T12345678", 0, false, "T1*****78"}},
		{FormatTaiwanResidentsPermit, "12345678", permitView{FormatTaiwanResidentsPermit, SeriesTaiwanResidentLifetime, "12345678", "12345678", 0, false, "12****78"}},
		{FormatTaiwanResidentsPermit, "1234567801", permitView{FormatTaiwanResidentsPermit, SeriesTaiwanResidentLegacy, "1234567801", "12345678", 1, true, "12******01"}},
		{FormatTaiwanResidentsPermit, "1234567812(B)", permitView{FormatTaiwanResidentsPermit, SeriesTaiwanResidentLegacy, "1234567812(B)", "12345678", 12, true, "12*********B)"}},
		{FormatTaiwanResidentsPermit, "1234567801（d）", permitView{FormatTaiwanResidentsPermit, SeriesTaiwanResidentLegacy, "1234567801(D)", "12345678", 1, true, "12*********D)"}},
		{FormatTaiwanResidentsPermit, "1234567801(3)", permitView{FormatTaiwanResidentsPermit, SeriesTaiwanResidentLegacy, "1234567801(3)", "12345678", 1, true, "12*********3)"}},
	}
	for _, tc := range valid {
		p, err := parsers[tc.kind](tc.in)
		if err != nil {
			t.Errorf("Parse %v (%q) error = %v", tc.kind, tc.in, err)
			continue
		}
		count, has := p.IssueCount()
		got := permitView{p.NumberFormat(), p.Series(), p.Number(), p.HolderNumber(), count, has, p.String()}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Parse %v (%q) mismatch (-want +got):\n%s", tc.kind, tc.in, diff)
		}
	}

	invalid := []struct {
		kind Format
		in   string
		want error
		pos  int
	}{
		{FormatHKMacaoExitEntryPermit, "", ErrLength, 0},
		{FormatHKMacaoExitEntryPermit, "C1234567", ErrLength, 0},
		{FormatHKMacaoExitEntryPermit, "C123456789", ErrLength, 0},
		{FormatHKMacaoExitEntryPermit, "CI1234567", ErrCharacter, 2},
		{FormatHKMacaoExitEntryPermit, "CO1234567", ErrCharacter, 2},
		{FormatHKMacaoExitEntryPermit, "CAB234567", ErrCharacter, 3},
		{FormatHKMacaoExitEntryPermit, "WA1234567", ErrCharacter, 2},
		{FormatHKMacaoExitEntryPermit, "H12345678", ErrPrefix, 1},
		{FormatHKMacaoExitEntryPermit, "E12345678", ErrPrefix, 1},
		{FormatHKMacaoExitEntryPermit, "C 2345678", ErrCharacter, 2},
		{FormatHKMacaoResidentsPermit, "H1234567", ErrLength, 0},
		{FormatHKMacaoResidentsPermit, "H123456789", ErrLength, 0}, // 9 digits: neither form
		{FormatHKMacaoResidentsPermit, "H12345678901", ErrLength, 0},
		{FormatHKMacaoResidentsPermit, "HA2345678", ErrCharacter, 2},
		{FormatHKMacaoResidentsPermit, "M12345678A0", ErrCharacter, 10},
		{FormatHKMacaoResidentsPermit, "K12345678", ErrPrefix, 1},
		{FormatHKMacaoResidentsPermit, "C12345678", ErrPrefix, 1},
		{FormatTaiwanExitEntryPermit, "L1234567", ErrLength, 0},
		{FormatTaiwanExitEntryPermit, "LA2345678", ErrCharacter, 2},
		{FormatTaiwanExitEntryPermit, "C12345678", ErrPrefix, 1},
		{FormatTaiwanResidentsPermit, "1234567", ErrLength, 0},
		{FormatTaiwanResidentsPermit, "123456789", ErrLength, 0},
		{FormatTaiwanResidentsPermit, "1234567801B", ErrLength, 0}, // the office code comes in brackets
		{FormatTaiwanResidentsPermit, "12345678901234", ErrLength, 0},
		{FormatTaiwanResidentsPermit, "1234567A", ErrCharacter, 8},
		{FormatTaiwanResidentsPermit, "1234567801(BB", ErrCharacter, 13},
		{FormatTaiwanResidentsPermit, "1234567801[B]", ErrCharacter, 11},
		{FormatTaiwanResidentsPermit, "(2345678)", ErrLength, 0},
		{FormatTaiwanResidentsPermit, "(1234567)", ErrLength, 0},
		{FormatTaiwanResidentsPermit, "(2345678", ErrCharacter, 1},
		{FormatTaiwanResidentsPermit, "T12345678", ErrLength, 0},
		{FormatTaiwanResidentsPermit, "T1234567", ErrCharacter, 1},
	}
	for _, tc := range invalid {
		_, err := parsers[tc.kind](tc.in)
		checkError(t, "Parse "+tc.kind.String(), tc.in, tc.kind, err, tc.want, tc.pos)
	}
}

// Parens are allowed only for the Taiwan residents' permit.
func TestParensOnlyForTaiwanResidents(t *testing.T) {
	_, err := ParseHKMacaoResidentsPermit("H12345678(1)")
	checkError(t, "ParseHKMacaoResidentsPermit", "H12345678(1)", FormatHKMacaoResidentsPermit, err, ErrLength, 0)
	_, err = ParseHKMacaoResidentsPermit("H1234567(1)")
	checkError(t, "ParseHKMacaoResidentsPermit", "H1234567(1)", FormatHKMacaoResidentsPermit, err, ErrCharacter, 9)
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
		checkError(t, "ParseArchiveNumber", tc.in, FormatDrivingLicenceArchive, err, tc.want, tc.pos)
	}
	if got := (ArchiveNumber{}).String(); got != "" {
		t.Errorf("zero ArchiveNumber.String() = %q, want empty", got)
	}
}
