package mrz

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ref is the reference time used by most tests.
var ref = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Specimens from ICAO Doc 9303, 8th edition (2021).
const (
	// Part 4, Appendix A (TD3 passport specimen, Utopia, Anna Maria Eriksson).
	specimenTD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" +
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10"
	// Part 5, Appendix A (TD1 card specimen).
	specimenTD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n" +
		"7408122F1204159UTO<<<<<<<<<<<6\n" +
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
	// Part 6, Appendix A (TD2 specimen).
	specimenTD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n" +
		"D231458907UTO7408122F1204159<<<<<<<6"
	// Part 7, Appendix A (MRV-A and MRV-B visa specimens). Reproduced from
	// memory of Part 7 and cross-checked against several independent
	// open-source MRZ test suites quoting the same lines; every check
	// digit is verified by TestVectorCheckDigits below, so a
	// transcription error would fail the tests.
	specimenMRVA = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" +
		"L8988901C4XXX4009078F96121096ZE184226B<<<<<<"
	specimenMRVB = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n" +
		"L8988901C4XXX4009078F9612109<<<<<<<<"

	// Constructed (not from Doc 9303): a TD1 card with the 12-character
	// document number D23145890734, encoded as Part 5, 4.2.2 note j
	// requires: the first 9 characters in positions 6-14, '<' in the
	// check digit position 15, the remaining "734" at the start of the
	// optional data field followed by the check digit over the whole
	// number and fillers. Check digit of D23145890734 by hand, weights
	// 7 3 1: D=13*7 + 2*3 + 3*1 + 1*7 + 4*3 + 5*1 + 8*7 + 9*3 + 0*1 +
	// 7*7 + 3*3 + 4*1 = 91+6+3+7+12+5+56+27+0+49+9+4 = 269 -> 9. The
	// composite (6) was computed with CheckDigit over line 1 positions
	// 6-30, line 2 positions 1-7, 9-15, 19-29.
	longTD1 = "I<UTOD23145890<7349<<<<<<<<<<<\n" +
		"7408122F1204159UTO<<<<<<<<<<<6\n" +
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
	// Constructed: the same long number on a TD2 document (Part 6, 4.2.2
	// note): "734" and check digit 9 at the start of the optional data
	// field (positions 29-35); composite 2 computed with CheckDigit over
	// line 2 positions 1-10, 14-20, 22-35.
	longTD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n" +
		"D23145890<UTO7408122F12041597349<<<2"
)

func TestVectorCheckDigits(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    Format
		zone string
	}{
		{"TD3 specimen", TD3, specimenTD3},
		{"TD1 specimen", TD1, specimenTD1},
		{"TD2 specimen", TD2, specimenTD2},
		{"MRV-A specimen", MRVA, specimenMRVA},
		{"MRV-B specimen", MRVB, specimenMRVB},
		{"TD1 long number", TD1, longTD1},
		{"TD2 long number", TD2, longTD2},
	} {
		if err := verifySpec(tc.f, strings.Split(tc.zone, "\n")); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestCheckDigit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want byte
	}{
		// Part 4 Appendix A specimen fields. L898902C3 by hand:
		// L=21*7 + 8*3 + 9*1 + 8*7 + 9*3 + 0*1 + 2*7 + C=12*3 + 3*1
		// = 147+24+9+56+27+0+14+36+3 = 316 -> 6.
		{"L898902C3", '6'},
		// 740812: 7*7 + 4*3 + 0*1 + 8*7 + 1*3 + 2*1 = 122 -> 2.
		{"740812", '2'},
		{"120415", '9'},
		{"ZE184226B<<<<<", '1'},
		// TD3 composite: line 2 positions 1-10, 14-20, 22-43.
		{"L898902C36" + "7408122" + "1204159ZE184226B<<<<<1", '0'},
		// Part 5 Appendix A: D23145890 -> 7.
		{"D23145890", '7'},
		{"D23145890734", '9'},
		{"", '0'},
		{"<<<<<<", '0'},
		{"A", '0'}, // 10*7 = 70
		{"Z", '5'}, // 35*7 = 245
	} {
		got, err := CheckDigit(tc.in)
		if err != nil {
			t.Errorf("CheckDigit(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("CheckDigit(%q) = %c, want %c", tc.in, got, tc.want)
		}
	}
	for _, in := range []string{"a", "AB C", "12-3", "É", "\x00"} {
		_, err := CheckDigit(in)
		if !errors.Is(err, ErrCharacter) {
			t.Errorf("CheckDigit(%q) error = %v, want ErrCharacter", in, err)
		}
	}
}

func TestParseSpecimens(t *testing.T) {
	anna := func(d Document) Document {
		d.IssuingState = "UTO"
		d.PrimaryIdentifier = "ERIKSSON"
		d.SecondaryIdentifier = "ANNA MARIA"
		d.Sex = SexFemale
		return d
	}
	tdBase := anna(Document{
		DocumentCode: "I", DocumentNumber: "D23145890", Nationality: "UTO",
		BirthDate: date(1974, 8, 12), ExpiryDate: date(2012, 4, 15),
	})
	td1, td2 := tdBase, tdBase
	td1.Layout, td2.Layout = TD1, TD2
	long1, long2 := td1, td2
	long1.DocumentNumber, long2.DocumentNumber = "D23145890734", "D23145890734"
	visa := anna(Document{
		DocumentCode: "V", DocumentNumber: "L8988901C", Nationality: "XXX",
		BirthDate: date(1940, 9, 7), ExpiryDate: date(1996, 12, 10),
	})
	mrva, mrvb := visa, visa
	mrva.Layout, mrvb.Layout = MRVA, MRVB
	mrva.OptionalData1 = "6ZE184226B"
	td3 := anna(Document{
		Layout: TD3, DocumentCode: "P", DocumentNumber: "L898902C3", Nationality: "UTO",
		BirthDate: date(1974, 8, 12), ExpiryDate: date(2012, 4, 15), OptionalData1: "ZE184226B",
	})

	for _, tc := range []struct {
		name string
		in   string
		want Document
	}{
		{"TD3 Part 4 App A", specimenTD3, td3},
		{"TD3 CRLF", strings.ReplaceAll(specimenTD3, "\n", "\r\n"), td3},
		{"TD3 trailing LF", specimenTD3 + "\n", td3},
		{"TD3 trailing CRLF", strings.ReplaceAll(specimenTD3, "\n", "\r\n") + "\r\n", td3},
		// Any run of line breaks at the end is ignored.
		{"TD3 two trailing LF", specimenTD3 + "\n\n", td3},
		{"TD3 trailing CR", specimenTD3 + "\r", td3},
		{"TD3 trailing CRLF CRLF", strings.ReplaceAll(specimenTD3, "\n", "\r\n") + "\r\n\r\n", td3},
		{"TD1 trailing LF LF LF", specimenTD1 + "\n\n\n", td1},
		{"TD1 Part 5 App A", specimenTD1, td1},
		{"TD1 CRLF", strings.ReplaceAll(specimenTD1, "\n", "\r\n") + "\r\n", td1},
		{"TD2 Part 6 App A", specimenTD2, td2},
		{"MRV-A Part 7", specimenMRVA, mrva},
		{"MRV-B Part 7", specimenMRVB, mrvb},
		{"TD1 long number", longTD1, long1},
		{"TD2 long number", longTD2, long2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.in, ref)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
			lines := strings.Split(strings.TrimRight(strings.ReplaceAll(tc.in, "\r", ""), "\n"), "\n")
			got, err = ParseLines(lines, ref)
			if err != nil {
				t.Fatalf("ParseLines: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseLines(%q) mismatch (-want +got):\n%s", lines, diff)
			}
		})
	}
}

// edit returns zone with the byte at (line, col), both 1-based, replaced.
func edit(zone string, line, col int, c byte) string {
	lines := strings.Split(zone, "\n")
	lines[line-1] = setAt(lines[line-1], col, c)
	return strings.Join(lines, "\n")
}

// editStr replaces the bytes starting at (line, col) with s.
func editStr(zone string, line, col int, s string) string {
	for i := 0; i < len(s); i++ {
		zone = edit(zone, line, col+i, s[i])
	}
	return zone
}

// flip changes the digit at (line, col) to a different digit.
func flip(zone string, line, col int) string {
	c := strings.Split(zone, "\n")[line-1][col-1]
	return edit(zone, line, col, '0'+(c-'0'+1)%10)
}

func TestParseErrors(t *testing.T) {
	type tc struct {
		name      string
		in        string
		err       error
		field     string
		line, col int
	}
	cases := []tc{
		// Shape.
		{"empty", "", ErrFormat, "line count", 0, 0},
		{"one line", strings.Split(specimenTD3, "\n")[0], ErrFormat, "line count", 0, 0},
		{"four lines", specimenTD1 + "\n" + strings.Split(specimenTD1, "\n")[2], ErrFormat, "line count", 0, 0},
		{"blank line inside", strings.Replace(specimenTD3, "\n", "\n\n", 1), ErrFormat, "blank line", 2, 0},
		{"blank CRLF line inside", strings.Replace(specimenTD1, "\n", "\r\n\r\n", 1), ErrFormat, "blank line", 2, 0},
		{"leading line break", "\n" + specimenTD3, ErrFormat, "blank line", 1, 0},
		{"TD1 with two blank lines inside", strings.Replace(specimenTD1, "\n", "\n\n\n", 1), ErrFormat, "blank line", 2, 0},
		{"line 1 short", specimenTD3[1:], ErrFormat, "line length", 1, 0},
		{"line 2 long", specimenTD3 + "<", ErrFormat, "line length", 2, 0},
		{"line 2 short", specimenTD3[:len(specimenTD3)-1], ErrFormat, "line length", 2, 0},
		{"three lines of 44", specimenTD3 + "\n" + strings.Split(specimenTD3, "\n")[1], ErrFormat, "line length", 1, 0},
		{"two lines of 30", specimenTD1[:61], ErrFormat, "line length", 1, 0},
		{"TD1 line 3 short", specimenTD1[:len(specimenTD1)-1], ErrFormat, "line length", 3, 0},
		{"TD3 size, code X", edit(specimenTD3, 1, 1, 'X'), ErrFormat, "document code", 1, 1},
		{"TD3 size, code I", edit(specimenTD3, 1, 1, 'I'), ErrFormat, "document code", 1, 1},
		{"TD2 size, code P", edit(specimenTD2, 1, 1, 'P'), ErrFormat, "document code", 1, 1},
		{"TD1 size, code P", edit(specimenTD1, 1, 1, 'P'), ErrFormat, "document code", 1, 1},
		{"TD1 size, code V", edit(specimenTD1, 1, 1, 'V'), ErrFormat, "document code", 1, 1},
		{"TD1 code IV", edit(specimenTD1, 1, 2, 'V'), ErrField, "document code", 1, 2},
		{"TD3 code digit", edit(specimenTD3, 1, 2, '1'), ErrField, "document code", 1, 2},

		// Characters.
		{"lower case", edit(specimenTD3, 1, 1, 'p'), ErrCharacter, "character set", 1, 1},
		{"lower case name", edit(specimenTD3, 1, 7, 'r'), ErrCharacter, "character set", 1, 7},
		{"space", edit(specimenTD3, 2, 44, ' '), ErrCharacter, "character set", 2, 44},
		{"tab", edit(specimenTD1, 3, 9, '\t'), ErrCharacter, "character set", 3, 9},
		{"CR CR LF", strings.Replace(specimenTD3, "\n", "\r\r\n", 1), ErrFormat, "line length", 1, 0},
		{"lone CR", edit(specimenTD1, 2, 29, '\r'), ErrCharacter, "character set", 2, 29},
		{"non-ASCII", editStr(specimenTD3, 1, 40, "\xc3\x89"), ErrCharacter, "character set", 1, 40},
		{"NUL", edit(specimenTD2, 2, 1, 0), ErrCharacter, "character set", 2, 1},
		{"leading space", " " + specimenTD3[:len(specimenTD3)-1], ErrFormat, "line length", 1, 0},
		{"O in birth date", edit(specimenTD3, 2, 16, 'O'), ErrCharacter, "date of birth", 2, 16},
		{"O in expiry date", edit(specimenTD1, 2, 12, 'O'), ErrCharacter, "date of expiry", 2, 12},
		{"O in birth check digit", edit(specimenTD3, 2, 20, 'O'), ErrCharacter, "date of birth check digit", 2, 20},
		{"O in number check digit", edit(specimenTD3, 2, 10, 'O'), ErrCharacter, "document number check digit", 2, 10},
		{"O in composite", edit(specimenTD2, 2, 36, 'O'), ErrCharacter, "composite check digit", 2, 36},
		{"filler in TD3 number check", edit(specimenTD3, 2, 10, '<'), ErrCharacter, "document number check digit", 2, 10},
		{"filler in MRV number check", edit(specimenMRVA, 2, 10, '<'), ErrCharacter, "document number check digit", 2, 10},
		{"digit in name", fill(TD3, edit(specimenTD3, 1, 7, '1')), ErrCharacter, "name", 1, 7},
		{"digit in TD1 name", edit(specimenTD1, 3, 30, '0'), ErrCharacter, "name", 3, 30},
		{"digit in nationality", fill(TD3, edit(specimenTD3, 2, 12, '1')), ErrCharacter, "nationality", 2, 12},
		{"digit in issuing state", edit(specimenTD3, 1, 3, '0'), ErrCharacter, "issuing state", 1, 3},

		// Check digits, one at a time.
		{"TD3 number", flip(specimenTD3, 2, 10), ErrCheckDigit, "document number check digit", 2, 10},
		{"TD3 birth", flip(specimenTD3, 2, 20), ErrCheckDigit, "date of birth check digit", 2, 20},
		{"TD3 expiry", flip(specimenTD3, 2, 28), ErrCheckDigit, "date of expiry check digit", 2, 28},
		{"TD3 personal number", flip(specimenTD3, 2, 43), ErrCheckDigit, "personal number check digit", 2, 43},
		{"TD3 personal number filler", edit(specimenTD3, 2, 43, '<'), ErrCharacter, "personal number check digit", 2, 43},
		{"TD3 composite only", flip(specimenTD3, 2, 44), ErrComposite, "composite check digit", 2, 44},
		{"TD3 data changed", edit(specimenTD3, 2, 1, 'M'), ErrCheckDigit, "document number check digit", 2, 10},
		{"TD1 number", flip(specimenTD1, 1, 15), ErrCheckDigit, "document number check digit", 1, 15},
		{"TD1 birth", flip(specimenTD1, 2, 7), ErrCheckDigit, "date of birth check digit", 2, 7},
		{"TD1 expiry", flip(specimenTD1, 2, 15), ErrCheckDigit, "date of expiry check digit", 2, 15},
		{"TD1 composite only", flip(specimenTD1, 2, 30), ErrComposite, "composite check digit", 2, 30},
		// Optional data is covered by the composite only. ('1' replaces
		// '<': a change by 10, like '<' to 'A', would not alter a
		// modulo-10 sum.)
		{"TD1 optional data 1 changed", edit(specimenTD1, 1, 20, '1'), ErrComposite, "composite check digit", 2, 30},
		{"TD1 optional data 2 changed", edit(specimenTD1, 2, 20, '1'), ErrComposite, "composite check digit", 2, 30},
		// The last character of each optional data field is covered too
		// (Part 5, 4.2.2: upper line 6-30, middle line 19-29).
		{"TD1 optional data 1 last character changed", edit(specimenTD1, 1, 30, '1'), ErrComposite, "composite check digit", 2, 30},
		{"TD1 optional data 2 last character changed", edit(specimenTD1, 2, 29, '1'), ErrComposite, "composite check digit", 2, 30},
		{"TD2 number", flip(specimenTD2, 2, 10), ErrCheckDigit, "document number check digit", 2, 10},
		{"TD2 birth", flip(specimenTD2, 2, 20), ErrCheckDigit, "date of birth check digit", 2, 20},
		{"TD2 expiry", flip(specimenTD2, 2, 28), ErrCheckDigit, "date of expiry check digit", 2, 28},
		{"TD2 composite only", flip(specimenTD2, 2, 36), ErrComposite, "composite check digit", 2, 36},
		{"TD2 optional data changed", edit(specimenTD2, 2, 30, '1'), ErrComposite, "composite check digit", 2, 36},
		{"TD2 optional data last character changed", edit(specimenTD2, 2, 35, '1'), ErrComposite, "composite check digit", 2, 36},
		{"MRV-A number", flip(specimenMRVA, 2, 10), ErrCheckDigit, "document number check digit", 2, 10},
		{"MRV-A birth", flip(specimenMRVA, 2, 20), ErrCheckDigit, "date of birth check digit", 2, 20},
		{"MRV-A expiry", flip(specimenMRVA, 2, 28), ErrCheckDigit, "date of expiry check digit", 2, 28},
		{"MRV-B number", flip(specimenMRVB, 2, 10), ErrCheckDigit, "document number check digit", 2, 10},
		{"MRV-B birth", flip(specimenMRVB, 2, 20), ErrCheckDigit, "date of birth check digit", 2, 20},
		{"MRV-B expiry", flip(specimenMRVB, 2, 28), ErrCheckDigit, "date of expiry check digit", 2, 28},
		{"TD3 empty personal number, check 5", fill(TD3, editStr(specimenTD3, 2, 29, "<<<<<<<<<<<<<<5")), ErrCheckDigit, "personal number check digit", 2, 43},

		// Long document numbers.
		{"TD1 long number check", flip(longTD1, 1, 19), ErrCheckDigit, "document number check digit", 1, 19},
		{"TD1 long number check letter", edit(longTD1, 1, 19, 'A'), ErrCharacter, "document number check digit", 1, 19},
		{"TD1 long number no overflow", fill(TD1, editStr(longTD1, 1, 16, "<<<<")), ErrField, "document number overflow", 1, 16},
		{"TD1 long number check only", fill(TD1, editStr(longTD1, 1, 16, "9<<<")), ErrField, "document number overflow", 1, 16},
		{"TD1 long number with filler", fill(TD1, edit(longTD1, 1, 14, '<')), ErrField, "document number", 1, 14},
		{"TD2 long number check", flip(longTD2, 2, 32), ErrCheckDigit, "document number check digit", 2, 32},
		{"TD2 long composite", flip(longTD2, 2, 36), ErrComposite, "composite check digit", 2, 36},

		// Dates (check digits recomputed so only the date is wrong).
		{"birth 30 Feb", fill(TD3, editStr(specimenTD3, 2, 14, "740230")), ErrDate, "date of birth", 2, 14},
		{"birth month 13", fill(TD3, editStr(specimenTD3, 2, 14, "741312")), ErrDate, "date of birth", 2, 14},
		{"birth month 00", fill(TD1, editStr(specimenTD1, 2, 1, "740012")), ErrDate, "date of birth", 2, 1},
		{"birth day 00", fill(TD2, editStr(specimenTD2, 2, 14, "740800")), ErrDate, "date of birth", 2, 14},
		{"birth day 32", fill(MRVA, editStr(specimenMRVA, 2, 14, "740132")), ErrDate, "date of birth", 2, 14},
		{"birth 31 Apr", fill(MRVB, editStr(specimenMRVB, 2, 14, "740431")), ErrDate, "date of birth", 2, 14},
		{"birth 29 Feb common year", fill(TD3, editStr(specimenTD3, 2, 14, "750229")), ErrDate, "date of birth", 2, 14},
		{"expiry 29 Feb 2027", fill(TD3, editStr(specimenTD3, 2, 22, "270229")), ErrDate, "date of expiry", 2, 22},
		{"expiry 30 Feb", fill(TD1, editStr(specimenTD1, 2, 9, "300230")), ErrDate, "date of expiry", 2, 9},
		{"expiry month 13", fill(TD2, editStr(specimenTD2, 2, 22, "301301")), ErrDate, "date of expiry", 2, 22},
		{"birth unknown day", fill(TD3, editStr(specimenTD3, 2, 14, "7408<<")), ErrDate, "date of birth", 2, 18},
		{"birth unknown month", fill(TD3, editStr(specimenTD3, 2, 14, "74<<<<")), ErrDate, "date of birth", 2, 16},
		{"expiry unknown", fill(TD1, editStr(specimenTD1, 2, 9, "<<<<<<")), ErrDate, "date of expiry", 2, 9},
		// Born 2025 (ref 2026), expiry 2012: impossible.
		{"birth after expiry", fill(TD3, editStr(specimenTD3, 2, 14, "250101")), ErrDate, "date of birth after date of expiry", 2, 14},

		// Field values.
		{"sex Q", edit(specimenTD3, 2, 21, 'Q'), ErrField, "sex", 2, 21},
		{"sex digit", edit(specimenTD1, 2, 8, '1'), ErrField, "sex", 2, 8},
		{"empty name", editStr(specimenTD3, 1, 6, strings.Repeat("<", 39)), ErrField, "name", 1, 6},
		{"empty TD1 name", editStr(specimenTD1, 3, 1, strings.Repeat("<", 30)), ErrField, "name", 3, 1},
		{"empty issuing state", editStr(specimenTD3, 1, 3, "<<<"), ErrField, "issuing state", 1, 3},
		{"issuing state inner filler", editStr(specimenTD3, 1, 3, "U<O"), ErrField, "issuing state", 1, 4},
		{"empty nationality", fill(TD3, editStr(specimenTD3, 2, 11, "<<<")), ErrField, "nationality", 2, 11},
		{"empty document number", fill(TD3, editStr(specimenTD3, 2, 1, "<<<<<<<<<")), ErrField, "document number", 2, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.in, ref)
			if !errors.Is(err, c.err) {
				t.Fatalf("Parse error = %v, want %v", err, c.err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse error %T is not *Error", err)
			}
			want := &Error{Err: c.err, Field: c.field, Line: c.line, Column: c.col}
			if diff := cmp.Diff(*want, *e, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("Parse(%q) error mismatch (-want +got):\n%s", c.in, diff)
			}
			// Exactly one sentinel matches.
			n := 0
			for _, s := range []error{ErrFormat, ErrCharacter, ErrCheckDigit, ErrComposite, ErrDate, ErrField} {
				if errors.Is(err, s) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("error matches %d sentinels, want 1", n)
			}
			assertNoEcho(t, err.Error(), c.in)
		})
	}
}

// assertNoEcho fails if msg contains any 5-character run of the zone.
func assertNoEcho(t *testing.T, msg, zone string) {
	t.Helper()
	for _, line := range strings.Split(zone, "\n") {
		for i := 0; i+5 <= len(line); i++ {
			if w := line[i : i+5]; strings.Contains(msg, w) {
				t.Errorf("error %q echoes zone content %q", msg, w)
				return
			}
		}
	}
}

func TestParsePersonalNumberFiller(t *testing.T) {
	// Part 4, 4.2.2: with an all-filler personal number field its check
	// digit may be '<' or '0'. Composite recomputed by fill.
	for _, cd := range []string{"<", "0"} {
		in := fill(TD3, editStr(specimenTD3, 2, 29, "<<<<<<<<<<<<<<"+cd))
		d, err := Parse(in, ref)
		if err != nil {
			t.Errorf("personal number check %q: %v", cd, err)
			continue
		}
		if d.OptionalData1 != "" {
			t.Errorf("OptionalData1 = %q, want empty", d.OptionalData1)
		}
	}
}

func TestParseNamesAndFields(t *testing.T) {
	for _, tc := range []struct {
		name               string
		nameField          string
		primary, secondary string
		sex                byte
		wantSex            Sex
		state, wantState   string
	}{
		{"single component", "ERIKSSON", "ERIKSSON", "", 'M', SexMale, "D<<", "D"},
		{"multi-part surname", "VAN<DER<BERG<<JAN<PIETER", "VAN DER BERG", "JAN PIETER", 'X', SexUnspecified, "UTO", "UTO"},
		{"empty primary", "<<ANNA", "", "ANNA", '<', SexUnspecified, "EUE", "EUE"},
		{"extra fillers", "ERIKSSON<<<ANNA<<MARIA", "ERIKSSON", "ANNA MARIA", 'F', SexFemale, "XX<", "XX"},
		{"truncated", "ERIKSSON<<ANNA<MARIAAAAAAAAAAAAAAAAAAAA", "ERIKSSON", "ANNA MARIAAAAAAAAAAAAAAAAAAAA", 'F', SexFemale, "UTO", "UTO"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			field := tc.nameField + strings.Repeat("<", 39-len(tc.nameField))
			in := editStr(specimenTD3, 1, 6, field)
			in = editStr(in, 1, 3, tc.state)
			in = edit(in, 2, 21, tc.sex)
			d, err := Parse(in, ref)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := []any{d.PrimaryIdentifier, d.SecondaryIdentifier, d.Sex, d.IssuingState}
			want := []any{tc.primary, tc.secondary, tc.wantSex, tc.wantState}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", in, diff)
			}
		})
	}
}

func TestCentury(t *testing.T) {
	for _, tc := range []struct {
		name          string
		ref           time.Time
		birth, expiry string
		wantBirth     time.Time
		wantExpiry    time.Time
	}{
		{"650101 is 1965 not 2065", date(2026, 1, 1), "650101", "300101", date(1965, 1, 1), date(2030, 1, 1)},
		{"250101 is 2025 with ref 2026-01-01", date(2026, 1, 1), "250101", "300101", date(2025, 1, 1), date(2030, 1, 1)},
		{"born on the reference day", date(2026, 1, 1), "260101", "300101", date(2026, 1, 1), date(2030, 1, 1)},
		{"born the day after the reference", date(2026, 1, 1), "260102", "300101", date(1926, 1, 2), date(2030, 1, 1)},
		{"born later this year", date(2026, 6, 15), "260616", "300101", date(1926, 6, 16), date(2030, 1, 1)},
		{"birth in reference month, earlier day", date(2026, 6, 15), "260614", "300101", date(2026, 6, 14), date(2030, 1, 1)},
		{"000229 leap year 2000", date(2026, 1, 1), "000229", "300101", date(2000, 2, 29), date(2030, 1, 1)},
		{"reference time of day and zone ignored", time.Date(2026, 1, 1, 23, 59, 0, 0, time.FixedZone("CST", 8*3600)), "260101", "300101", date(2026, 1, 1), date(2030, 1, 1)},
		{"expiry window low edge", date(2026, 1, 1), "650101", "760101", date(1965, 1, 1), date(1976, 1, 1)},
		{"expiry window high edge", date(2026, 1, 1), "650101", "750101", date(1965, 1, 1), date(2075, 1, 1)},
		{"expired long ago", date(2026, 1, 1), "400101", "990101", date(1940, 1, 1), date(1999, 1, 1)},
		{"reference 1999", date(1999, 6, 1), "650101", "050101", date(1965, 1, 1), date(2005, 1, 1)},
		{"reference 2080", date(2080, 6, 1), "650101", "850101", date(2065, 1, 1), date(2085, 1, 1)},
		{"reference 2080, window low edge", date(2080, 6, 1), "100101", "300101", date(2010, 1, 1), date(2030, 1, 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := fill(TD3, editStr(editStr(specimenTD3, 2, 14, tc.birth), 2, 22, tc.expiry))
			d, err := Parse(in, tc.ref)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff([]time.Time{tc.wantBirth, tc.wantExpiry}, []time.Time{d.BirthDate, d.ExpiryDate}); diff != "" {
				t.Errorf("dates mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestZeroReferenceFailsClosed: a host that forgets to inject the clock
// gets every zone refused, not documents dated in the first century.
func TestZeroReferenceFailsClosed(t *testing.T) {
	for _, zone := range []string{specimenTD3, specimenTD1, specimenTD2, specimenMRVA, specimenMRVB, longTD1, longTD2} {
		d, err := Parse(zone, time.Time{})
		if !errors.Is(err, ErrDate) {
			t.Errorf("Parse(%q, zero time) = %v, %v; want ErrDate", zone, d, err)
		}
	}
}

func TestExpired(t *testing.T) {
	d, err := Parse(specimenTD3, ref) // expires 2012-04-15
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		now  time.Time
		want bool
	}{
		{time.Date(2012, 4, 15, 23, 59, 59, 0, time.UTC), false},
		{date(2012, 4, 16), true},
		{date(2011, 1, 1), false},
		{ref, true},
		// The calendar date of now in its own zone counts: 01:00 on
		// 16 April in UTC+8 is still 15 April in UTC.
		{time.Date(2012, 4, 16, 1, 0, 0, 0, time.FixedZone("CST", 8*3600)), true},
		{time.Date(2012, 4, 15, 23, 0, 0, 0, time.FixedZone("PDT", -7*3600)), false},
	} {
		if got := d.Expired(tc.now); got != tc.want {
			t.Errorf("Expired(%v) = %v, want %v", tc.now, got, tc.want)
		}
	}
}

func TestParseLinesErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
		err   error
	}{
		{"nil", nil, ErrFormat},
		{"one", []string{strings.Repeat("<", 44)}, ErrFormat},
		{"newline inside", []string{specimenTD3[:44], specimenTD3[45:88] + "\n"}, ErrCharacter},
		{"CRLF not stripped", []string{specimenTD3[:44] + "\r", specimenTD3[45:] + "\r"}, ErrFormat},
	} {
		_, err := ParseLines(tc.lines, ref)
		if !errors.Is(err, tc.err) {
			t.Errorf("%s: ParseLines error = %v, want %v", tc.name, err, tc.err)
		}
	}
}

// TestParseLinesBlankLine: strings.Split of a zone ending in a line break
// leaves an empty last element; ParseLines names it rather than reporting
// a line length.
func TestParseLinesBlankLine(t *testing.T) {
	_, err := ParseLines(strings.Split(specimenTD3+"\n", "\n"), ref)
	want := &Error{Err: ErrFormat, Field: "blank line", Line: 3}
	var got *Error
	if !errors.As(err, &got) {
		t.Fatalf("ParseLines error = %v, want %v", err, want)
	}
	if diff := cmp.Diff(*want, *got, cmpopts.EquateErrors()); diff != "" {
		t.Errorf("ParseLines error mismatch (-want +got):\n%s", diff)
	}
}

func TestErrorString(t *testing.T) {
	for _, tc := range []struct {
		e    *Error
		want string
	}{
		{&Error{Err: ErrCheckDigit, Field: "date of birth check digit", Line: 2, Column: 20}, "mrz: check digit mismatch: date of birth check digit (line 2, column 20)"},
		{&Error{Err: ErrFormat, Field: "line count"}, "mrz: malformed zone: line count"},
		{&Error{Err: ErrFormat, Field: "line length", Line: 2}, "mrz: malformed zone: line length (line 2)"},
		{&Error{Err: ErrCharacter, Field: "check digit input", Column: 3}, "mrz: invalid character: check digit input (column 3)"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}
