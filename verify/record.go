package verify

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/verify/idcard"
)

// chinaTime is China Standard Time (UTC+8). Validity and birth dates on Chinese
// documents are calendar dates in China, so an instant is turned into a date in this zone.
var chinaTime = time.FixedZone("CST", 8*60*60)

// Date is a calendar date without a time of day, as printed on a document. The zero
// Date means "not provided".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses a date in the form "2006-01-02". The empty string gives the zero Date.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("verify: date not in YYYY-MM-DD form: %w", ErrInvalidArgument)
	}
	return DateOf(t), nil
}

// DateOf returns the calendar date of t in t's own location. Use [ChinaDate] for an
// instant that must be read on the Chinese calendar day.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ChinaDate returns the calendar date of the instant t in China Standard Time (UTC+8).
func ChinaDate(t time.Time) Date { return DateOf(t.In(chinaTime)) }

// IsZero reports whether d is the zero Date ("not provided").
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is an existing calendar date.
func (d Date) Valid() bool {
	if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Year < 1 || d.Year > 9999 {
		return false
	}
	return DateOf(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)) == d
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// String returns "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText encodes d as "YYYY-MM-DD" (empty for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes "YYYY-MM-DD" or the empty string.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Status is the registry's status of a document. The zero value, StatusUnknown, never
// passes: a registry must say that a document is valid.
type Status uint8

// Document statuses.
const (
	StatusUnknown      Status = iota
	StatusValid               // issued and in force
	StatusExpired             // validity period ended (the registry may know it before the dates do)
	StatusReportedLost        // reported lost or stolen (挂失)
	StatusRevoked             // revoked, cancelled or replaced (注销/作废)
)

var statusNames = [...]string{"unknown", "valid", "expired", "reported-lost", "revoked"}

// String returns "unknown", "valid", "expired", "reported-lost" or "revoked".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// MarshalText encodes s as its String form.
func (s Status) MarshalText() ([]byte, error) {
	if int(s) >= len(statusNames) {
		return nil, fmt.Errorf("verify: invalid status: %w", ErrInvalidArgument)
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes the String form of a status.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if string(b) == n {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("verify: unknown status: %w", ErrInvalidArgument)
}

// Record is the registry's authoritative record of one document. Its String, Format,
// GoString and LogValue methods mask the personal data it holds.
type Record struct {
	// Kind and Number identify the document. For resident ID numbers the Number is
	// the 18-character form with an upper-case X (see [NormalizeNumber]).
	Kind   CredentialKind `json:"kind"`
	Number string         `json:"number"`
	// Name in Chinese characters (or the script of the document); LatinName is the
	// Latin-script name where the document has one (passports, permits), in ICAO
	// order "SURNAME GIVEN NAMES".
	Name      string        `json:"name"`
	LatinName string        `json:"latin_name,omitempty"`
	Gender    idcard.Gender `json:"gender,omitempty"`
	BirthDate Date          `json:"birth_date"`
	// Nationality is an ICAO 9303 / ISO 3166-1 alpha-3 code (e.g. "CHN"), where the
	// document records it; Ethnicity is the ethnic group (民族, e.g. "汉", "维吾尔").
	Nationality string `json:"nationality,omitempty"`
	Ethnicity   string `json:"ethnicity,omitempty"`
	Address     string `json:"address,omitempty"`
	// Authority is the issuing authority (签发机关).
	Authority string `json:"authority,omitempty"`
	// ValidFrom and ValidUntil are the validity period, both days included. LongTerm
	// (长期) means no end date; ValidUntil is then ignored.
	ValidFrom  Date `json:"valid_from"`
	ValidUntil Date `json:"valid_until"`
	LongTerm   bool `json:"long_term,omitempty"`
	// Status is the registry's status of the document.
	Status Status `json:"status"`
	// PhotoRef is the host's reference to the registry photo, handed to the face
	// matcher of the real-person check. Empty: the registry has no photo.
	PhotoRef string `json:"photo_ref,omitempty"`
	// HolderID is the holder's resident ID number (or residence-permit or permanent
	// residence number) where the registry records it for a document that is not
	// itself numbered so (a passport, a travel permit, a vehicle licence). It makes the
	// holder one person across their documents: see [DocumentResult.Subject].
	HolderID string `json:"holder_id,omitempty"`
}

func (r Record) masked() string {
	var b strings.Builder
	b.WriteString("{Kind:")
	b.WriteString(r.Kind.String())
	b.WriteString(" Number:")
	b.WriteString(maskNumber(r.Number))
	b.WriteString(" Name:")
	b.WriteString(mask.Name(r.Name))
	if r.LatinName != "" {
		b.WriteString(" LatinName:")
		b.WriteString(mask.Name(r.LatinName))
	}
	b.WriteString(" Status:")
	b.WriteString(r.Status.String())
	b.WriteString(" Valid:")
	b.WriteString(r.ValidFrom.String())
	b.WriteString("..")
	if r.LongTerm {
		b.WriteString("long-term")
	} else {
		b.WriteString(r.ValidUntil.String())
	}
	b.WriteString("}")
	return b.String()
}

// String returns a masked summary: kind, masked number and name, status and validity.
// The birth date, address and photo reference are left out.
func (r Record) String() string { return r.masked() }

// GoString returns the same masked summary, so that %#v shows no personal data.
func (r Record) GoString() string { return "verify.Record" + r.masked() }

// Format writes the masked summary for every verb.
func (r Record) Format(f fmt.State, verb rune) { mask.Format(f, verb, r.masked(), r.GoString()) }

// LogValue logs the masked summary.
func (r Record) LogValue() slog.Value { return slog.StringValue(r.masked()) }

// Claim is the identity an applicant claims: the document they present and the personal
// data they typed or that was read from the document. Fields left empty are "not
// provided" and are not compared. Its String, Format, GoString and LogValue methods mask
// the personal data it holds.
type Claim struct {
	Kind        CredentialKind
	Number      string
	Name        string
	LatinName   string
	Gender      idcard.Gender
	BirthDate   Date
	Nationality string
	Ethnicity   string
	Address     string
}

func (c Claim) masked() string {
	var b strings.Builder
	b.WriteString("{Kind:")
	b.WriteString(c.Kind.String())
	b.WriteString(" Number:")
	b.WriteString(maskNumber(c.Number))
	b.WriteString(" Name:")
	b.WriteString(mask.Name(c.Name))
	if c.LatinName != "" {
		b.WriteString(" LatinName:")
		b.WriteString(mask.Name(c.LatinName))
	}
	if c.Address != "" {
		b.WriteString(" Address:")
		b.WriteString(mask.Text(c.Address))
	}
	b.WriteString("}")
	return b.String()
}

// String returns a masked summary: kind, masked number, masked name(s) and the length
// of the address. Birth date, gender, nationality and ethnicity are left out.
func (c Claim) String() string { return c.masked() }

// GoString returns the same masked summary, so that %#v shows no personal data.
func (c Claim) GoString() string { return "verify.Claim" + c.masked() }

// Format writes the masked summary for every verb.
func (c Claim) Format(f fmt.State, verb rune) { mask.Format(f, verb, c.masked(), c.GoString()) }

// LogValue logs the masked summary.
func (c Claim) LogValue() slog.Value { return slog.StringValue(c.masked()) }

// MarshalJSON writes the masked summary as a JSON string, so that encoding/json (and
// anything built on it) shows no personal data. A Claim is input to [Checker.CheckDocument],
// not a wire format: decode an applicant's JSON into it, never encode it to send on.
func (c Claim) MarshalJSON() ([]byte, error) { return json.Marshal(c.masked()) }

// MarshalText writes the masked summary.
func (c Claim) MarshalText() ([]byte, error) { return []byte(c.masked()), nil }

// maskNumber keeps the first six and last four characters of an 18-character ID number
// ("110105********002X") and proportionally less of shorter numbers.
func maskNumber(s string) string {
	n := len([]rune(s))
	switch {
	case n >= 15:
		return mask.Middle(s, 6, 4)
	case n >= 8:
		return mask.Middle(s, 2, 2)
	default:
		return mask.Middle(s, 0, 0)
	}
}
