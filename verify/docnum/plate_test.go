package docnum

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

type plateView struct {
	Province  string
	Authority string
	Serial    string
	Suffix    string
	Class     PlateClass
	Power     Power
	Number    string
	Masked    string
}

func viewPlate(p Plate) plateView {
	v := plateView{
		Province:  string(p.Province()),
		Authority: string(p.Authority()),
		Serial:    p.Serial(),
		Class:     p.Class(),
		Power:     p.Power(),
		Number:    p.Number(),
		Masked:    p.String(),
	}
	if p.Suffix() != 0 {
		v.Suffix = string(p.Suffix())
	}
	return v
}

// Layouts per GA 36-2018 (ordinary 5-character serial; new-energy 6: small =
// D/F (extended: A-E pure electric, F-K other) + letter or digit + 4 digits,
// large = 5 digits + D/F; special = 4 characters + use character). Plate
// numbers are made up to fit each layout.
func TestParsePlate(t *testing.T) {
	valid := []struct {
		in   string
		want plateView
	}{
		{"京A12345", plateView{"京", "A", "12345", "", PlateOrdinary, PowerNone, "京A12345", "京A·***45"}},
		{"京A·12345", plateView{"京", "A", "12345", "", PlateOrdinary, PowerNone, "京A12345", "京A·***45"}},
		{"京A 12345", plateView{"京", "A", "12345", "", PlateOrdinary, PowerNone, "京A12345", "京A·***45"}},
		{"京A-12345", plateView{"京", "A", "12345", "", PlateOrdinary, PowerNone, "京A12345", "京A·***45"}},
		{"京A.12345", plateView{"京", "A", "12345", "", PlateOrdinary, PowerNone, "京A12345", "京A·***45"}},
		{"京A•12345", plateView{"京", "A", "12345", "", PlateOrdinary, PowerNone, "京A12345", "京A·***45"}},
		{"京A・12345", plateView{"京", "A", "12345", "", PlateOrdinary, PowerNone, "京A12345", "京A·***45"}},
		{"京A　12345", plateView{"京", "A", "12345", "", PlateOrdinary, PowerNone, "京A12345", "京A·***45"}},
		{"沪b·x8z9q", plateView{"沪", "B", "X8Z9Q", "", PlateOrdinary, PowerNone, "沪BX8Z9Q", "沪B·***9Q"}},
		{"粤Ｂ１２３４５", plateView{"粤", "B", "12345", "", PlateOrdinary, PowerNone, "粤B12345", "粤B·***45"}},
		{"京A1234Q", plateView{"京", "A", "1234Q", "", PlateOrdinary, PowerNone, "京A1234Q", "京A·***4Q"}}, // Q is allowed, unlike in a VIN
		{"川AABCDE", plateView{"川", "A", "ABCDE", "", PlateOrdinary, PowerNone, "川AABCDE", "川A·***DE"}}, // letter count not checked
		{"沪AD12345", plateView{"沪", "A", "D12345", "", PlateNewEnergySmall, PowerPureElectric, "沪AD12345", "沪A·****45"}},
		{"沪A·F12345", plateView{"沪", "A", "F12345", "", PlateNewEnergySmall, PowerNonPureElectric, "沪AF12345", "沪A·****45"}},
		{"粤BDA1234", plateView{"粤", "B", "DA1234", "", PlateNewEnergySmall, PowerPureElectric, "粤BDA1234", "粤B·****34"}},
		{"浙AA12345", plateView{"浙", "A", "A12345", "", PlateNewEnergySmall, PowerPureElectric, "浙AA12345", "浙A·****45"}},
		{"浙AE12345", plateView{"浙", "A", "E12345", "", PlateNewEnergySmall, PowerPureElectric, "浙AE12345", "浙A·****45"}},
		{"浙AG12345", plateView{"浙", "A", "G12345", "", PlateNewEnergySmall, PowerNonPureElectric, "浙AG12345", "浙A·****45"}},
		{"浙AK12345", plateView{"浙", "A", "K12345", "", PlateNewEnergySmall, PowerNonPureElectric, "浙AK12345", "浙A·****45"}},
		{"京A12345D", plateView{"京", "A", "12345D", "", PlateNewEnergyLarge, PowerPureElectric, "京A12345D", "京A·****5D"}},
		{"京A·12345F", plateView{"京", "A", "12345F", "", PlateNewEnergyLarge, PowerNonPureElectric, "京A12345F", "京A·****5F"}},
		{"京A0001警", plateView{"京", "A", "0001", "警", PlateSpecial, PowerNone, "京A0001警", "京A·**01警"}},
		{"粤Z·1234港", plateView{"粤", "Z", "1234", "港", PlateSpecial, PowerNone, "粤Z1234港", "粤Z·**34港"}},
		{"粤Z1234澳", plateView{"粤", "Z", "1234", "澳", PlateSpecial, PowerNone, "粤Z1234澳", "粤Z·**34澳"}},
		{"京A1234学", plateView{"京", "A", "1234", "学", PlateSpecial, PowerNone, "京A1234学", "京A·**34学"}},
		{"沪A0023领", plateView{"沪", "A", "0023", "领", PlateSpecial, PowerNone, "沪A0023领", "沪A·**23领"}},
		{"冀B·A123挂", plateView{"冀", "B", "A123", "挂", PlateSpecial, PowerNone, "冀BA123挂", "冀B·**23挂"}},
	}
	for _, tc := range valid {
		p, err := ParsePlate(tc.in)
		if err != nil {
			t.Errorf("ParsePlate(%q) error = %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, viewPlate(p)); diff != "" {
			t.Errorf("ParsePlate(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}

	invalid := []struct {
		in   string
		want error
		pos  int
	}{
		{"", ErrLength, 0},
		{"京", ErrLength, 0},
		{"京A", ErrLength, 0},
		{"京A1234", ErrLength, 0},
		{"京A·1234", ErrLength, 0},         // 4 characters need a use character
		{"京A1234567", ErrLength, 0},       // 7 serial characters
		{"京A·123456789", ErrLength, 0},    // too long altogether
		{"京A12345警", ErrLength, 0},        // use character after 5
		{"京A123警", ErrLength, 0},          // use character after 3
		{"A12345", ErrProvince, 1},        // no province
		{"台A12345", ErrProvince, 1},       // not one of the 31 plate provinces
		{"港A12345", ErrProvince, 1},       // use character is not a province
		{"北A12345", ErrProvince, 1},       // a city name, not an abbreviation
		{"A京12345678901", ErrProvince, 1}, // province reported before length
		{"京I12345", ErrCharacter, 2},      // I never used
		{"京O12345", ErrCharacter, 2},      // O never used
		{"京i12345", ErrCharacter, 2},      // lower case folds to I
		{"京112345", ErrCharacter, 2},      // authority is a letter
		{"京·A12345", ErrCharacter, 2},     // separator before the authority letter
		{"京A1234I", ErrCharacter, 7},
		{"京AO1234", ErrCharacter, 3},
		{"京A·O1234", ErrCharacter, 4},
		{"京A12 345", ErrCharacter, 5},  // separator only after the authority letter
		{"京A··12345", ErrCharacter, 4}, // one separator only
		{"京A12警34", ErrCharacter, 6},   // nothing follows the use character
		{"京A1234使", ErrCharacter, 7},   // 使 is not a recognised use character
		{"京AD1234A", ErrCharacter, 8},  // small NEV: last four digits
		{"京A1234DD", ErrCharacter, 7},  // large NEV: five digits first
		{"京AM12345", ErrCharacter, 3},  // M is not a power letter
		{"京AL12345", ErrCharacter, 3},  // nor L
		{"京A12345L", ErrCharacter, 8},  // large NEV: power letter last
		{"京A·D1234A", ErrCharacter, 9}, // positions count the separator
		{"京A\x0012345", ErrCharacter, 3},
		{"京\xff12345", ErrCharacter, 2},
	}
	for _, tc := range invalid {
		_, err := ParsePlate(tc.in)
		checkError(t, "ParsePlate", tc.in, FormatPlate, err, tc.want, tc.pos)
	}
}

func TestParsePlateEveryProvince(t *testing.T) {
	if n := utf8.RuneCountInString(provinces); n != 31 {
		t.Fatalf("provinces has %d characters, want 31", n)
	}
	for _, r := range provinces {
		in := string(r) + "A12345"
		p, err := ParsePlate(in)
		if err != nil {
			t.Errorf("ParsePlate(%q) error = %v", in, err)
			continue
		}
		if p.Province() != r {
			t.Errorf("ParsePlate(%q).Province() = %q, want %q", in, p.Province(), r)
		}
	}
}

// Every letter position of a plate rejects I and O and accepts every other
// letter and digit (within the layout).
func TestParsePlateNoIO(t *testing.T) {
	for _, base := range []string{"京A12345", "京AD12345", "京A1234警"} {
		runes := []rune(base)
		for i := 1; i < len(runes); i++ {
			if runes[i] > utf8.RuneSelf {
				continue
			}
			for _, c := range "IOio" {
				r := append([]rune(nil), runes...)
				r[i] = c
				in := string(r)
				_, err := ParsePlate(in)
				checkError(t, "ParsePlate", in, FormatPlate, err, ErrCharacter, i+1)
			}
		}
	}
	for c := 'A'; c <= 'Z'; c++ {
		in := "京" + string(c) + "1234" + string(c)
		_, err := ParsePlate(in)
		if c == 'I' || c == 'O' {
			checkError(t, "ParsePlate", in, FormatPlate, err, ErrCharacter, 2)
		} else if err != nil {
			t.Errorf("ParsePlate(%q) error = %v", in, err)
		}
	}
	if !strings.ContainsRune(plateSuffixes, '警') {
		t.Fatal("plateSuffixes lost 警")
	}
}

func TestPlateZero(t *testing.T) {
	var p Plate
	if got := []string{p.String(), p.Number(), p.Class().String(), p.Power().String()}; !cmp.Equal(got, []string{"", "", "unknown", "none"}) {
		t.Errorf("zero Plate = %q", got)
	}
}
