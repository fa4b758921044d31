package docnum

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

type idView struct {
	Series Series
	Number string
	Masked string
}

// Passport series: NIA public descriptions (E + 8 digits from 2012; E + letter
// other than I/O + 7 digits from 5 April 2017); G, DE, SE, PE, K, MA as
// commonly published and listed in the trustid issue. Numbers below are
// made up to fit each form.
func TestParsePassport(t *testing.T) {
	valid := []struct {
		in   string
		want idView
	}{
		{"E12345678", idView{SeriesPassportE, "E12345678", "E1*****78"}},
		{"EA1234567", idView{SeriesPassportE, "EA1234567", "EA*****67"}},
		{"EZ0000001", idView{SeriesPassportE, "EZ0000001", "EZ*****01"}},
		{"EE7654321", idView{SeriesPassportE, "EE7654321", "EE*****21"}},
		{"e12345678", idView{SeriesPassportE, "E12345678", "E1*****78"}},
		{"ea1234567", idView{SeriesPassportE, "EA1234567", "EA*****67"}},
		{"Ｅ１２３４５６７８", idView{SeriesPassportE, "E12345678", "E1*****78"}},
		{"ｅＡ1234567", idView{SeriesPassportE, "EA1234567", "EA*****67"}},
		{"G12345678", idView{SeriesPassportG, "G12345678", "G1*****78"}},
		{"DE1234567", idView{SeriesPassportDiplomatic, "DE1234567", "DE*****67"}},
		{"SE1234567", idView{SeriesPassportService, "SE1234567", "SE*****67"}},
		{"PE1234567", idView{SeriesPassportPublicAffairs, "PE1234567", "PE*****67"}},
		{"K12345678", idView{SeriesPassportHongKongSAR, "K12345678", "K1*****78"}},
		{"MA1234567", idView{SeriesPassportMacaoSAR, "MA1234567", "MA*****67"}},
	}
	for _, tc := range valid {
		p, err := ParsePassport(tc.in)
		if err != nil {
			t.Errorf("ParsePassport(%q) error = %v", tc.in, err)
			continue
		}
		got := idView{p.Series(), p.Number(), p.String()}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ParsePassport(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}

	invalid := []struct {
		in   string
		want error
		pos  int
	}{
		{"", ErrLength, 0},
		{"E1234567", ErrLength, 0},
		{"E123456789", ErrLength, 0},
		{"DE123456", ErrLength, 0},
		{"DE12345678", ErrLength, 0},
		{"MA12345678", ErrLength, 0},
		{"EI1234567", ErrCharacter, 2}, // I is never used
		{"EO1234567", ErrCharacter, 2}, // nor O
		{"ei1234567", ErrCharacter, 2},
		{"E1234567A", ErrCharacter, 9},
		{"EA123456B", ErrCharacter, 9},
		{"E1A234567", ErrCharacter, 3}, // E+8 digits fails furthest, at position 3
		{"EAB123456", ErrCharacter, 3},
		{"G1234567A", ErrCharacter, 9},
		{"GA1234567", ErrCharacter, 2}, // G has no letter form
		{"DEA123456", ErrCharacter, 3},
		{"X12345678", ErrPrefix, 1},
		{"112345678", ErrPrefix, 1},
		{"PX1234567", ErrPrefix, 2},
		{"M12345678", ErrPrefix, 2},
		{"D12345678", ErrPrefix, 2},
		{"E 1234567", ErrCharacter, 2},
		{"E1234-678", ErrCharacter, 6},
		{"护12345678", ErrCharacter, 1},
		{"E1234567\n", ErrCharacter, 9},
		{"E\x00", ErrCharacter, 2},
		{"\xff", ErrCharacter, 1},
	}
	for _, tc := range invalid {
		_, err := ParsePassport(tc.in)
		checkError(t, "ParsePassport", tc.in, FormatPassport, err, tc.want, tc.pos)
	}
}

func TestParseForeignPassport(t *testing.T) {
	valid := []struct {
		in   string
		want idView
	}{
		{"X1234567", idView{SeriesForeignPassport, "X1234567", "X1****67"}},
		{"123456789", idView{SeriesForeignPassport, "123456789", "12*****89"}},
		{"A", idView{SeriesForeignPassport, "A", "*"}},
		{"ab12", idView{SeriesForeignPassport, "AB12", "****"}},
		{"L898902C3", idView{SeriesForeignPassport, "L898902C3", "L8*****C3"}}, // ICAO Doc 9303 Part 4 specimen
		{"IO0Q", idView{SeriesForeignPassport, "IO0Q", "****"}},                // other states do use I and O
	}
	for _, tc := range valid {
		p, err := ParseForeignPassport(tc.in)
		if err != nil {
			t.Errorf("ParseForeignPassport(%q) error = %v", tc.in, err)
			continue
		}
		got := idView{p.Series(), p.Number(), p.String()}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ParseForeignPassport(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
	invalid := []struct {
		in   string
		want error
		pos  int
	}{
		{"", ErrLength, 0},
		{"1234567890", ErrLength, 0},
		{"AB-12", ErrCharacter, 3},
		{"AB<12", ErrCharacter, 3}, // MRZ filler is not part of the number
		{"ÄB12", ErrCharacter, 1},
	}
	for _, tc := range invalid {
		_, err := ParseForeignPassport(tc.in)
		checkError(t, "ParseForeignPassport", tc.in, FormatForeignPassport, err, tc.want, tc.pos)
	}
}
