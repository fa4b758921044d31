package mrz

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
)

// maskNumber keeps the first two and the last character of a document
// number longer than four characters and stars the rest ("L8******3");
// shorter numbers are starred entirely.
func maskNumber(s string) string {
	if len(s) <= 4 {
		return strings.Repeat("*", len(s))
	}
	return s[:2] + strings.Repeat("*", len(s)-3) + s[len(s)-1:]
}

// maskName keeps the first letter of each space-separated component and
// replaces the rest with "***": "ANNA MARIA" becomes "A*** M***". The
// number of stars is fixed so the length of the name does not leak.
func maskName(s string) string {
	var b strings.Builder
	for i, w := range strings.Fields(s) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(w[0])
		b.WriteString("***")
	}
	return b.String()
}

// maskedName is the masked "PRIMARY, SECONDARY" form.
func (d Document) maskedName() string {
	p, s := maskName(d.PrimaryIdentifier), maskName(d.SecondaryIdentifier)
	switch {
	case s == "":
		return p
	case p == "":
		return s
	}
	return p + ", " + s
}

func (d Document) birthYear() string {
	if d.BirthDate.IsZero() {
		return ""
	}
	return d.BirthDate.Format("2006") + "-**-**"
}

func (d Document) expiry() string {
	if d.ExpiryDate.IsZero() {
		return ""
	}
	return d.ExpiryDate.Format("2006-01-02")
}

// String returns a masked summary: document number, names and date of
// birth are masked and optional data is omitted.
func (d Document) String() string {
	return fmt.Sprintf("mrz.Document{%s %s %s number=%s name=%q nationality=%s born=%s sex=%s expires=%s}",
		d.Layout, d.DocumentCode, d.IssuingState, maskNumber(d.DocumentNumber), d.maskedName(),
		d.Nationality, d.birthYear(), d.Sex, d.expiry())
}

// Format implements fmt.Formatter so that every verb (%v, %+v, %#v, %s,
// %q, ...) prints the masked [Document.String] form.
func (d Document) Format(f fmt.State, verb rune) {
	s := d.String()
	if verb == 'q' {
		s = fmt.Sprintf("%q", s)
	}
	f.Write([]byte(s))
}

// LogValue implements slog.LogValuer with the same masking as String.
func (d Document) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("format", d.Layout.String()),
		slog.String("document_code", d.DocumentCode),
		slog.String("issuing_state", d.IssuingState),
		slog.String("document_number", maskNumber(d.DocumentNumber)),
		slog.String("name", d.maskedName()),
		slog.String("nationality", d.Nationality),
		slog.String("birth_date", d.birthYear()),
		slog.String("sex", d.Sex.String()),
		slog.String("expiry_date", d.expiry()),
	)
}

// maskedJSON is the encoding/json form of a Document: the fields of
// [Document.LogValue], masked the same way.
type maskedJSON struct {
	Format         string `json:"format"`
	DocumentCode   string `json:"document_code"`
	IssuingState   string `json:"issuing_state"`
	DocumentNumber string `json:"document_number"`
	Name           string `json:"name"`
	Nationality    string `json:"nationality"`
	BirthDate      string `json:"birth_date"`
	Sex            string `json:"sex"`
	ExpiryDate     string `json:"expiry_date"`
}

// MarshalJSON implements json.Marshaler with the masking of
// [Document.LogValue], so that a Document reaching encoding/json (directly,
// inside a request struct logged by slog's JSON handler, or by a logger
// that encodes with reflection) does not leak. It is deliberately lossy and
// there is no UnmarshalJSON: to store or transmit the parsed values, copy
// the exported fields into a type of your own.
func (d Document) MarshalJSON() ([]byte, error) {
	return json.Marshal(maskedJSON{
		Format:         d.Layout.String(),
		DocumentCode:   d.DocumentCode,
		IssuingState:   d.IssuingState,
		DocumentNumber: maskNumber(d.DocumentNumber),
		Name:           d.maskedName(),
		Nationality:    d.Nationality,
		BirthDate:      d.birthYear(),
		Sex:            d.Sex.String(),
		ExpiryDate:     d.expiry(),
	})
}

// MarshalText implements encoding.TextMarshaler with the masked
// [Document.String] form, for text-based encoders (encoding/xml, YAML
// libraries) that would otherwise walk the exported fields.
func (d Document) MarshalText() ([]byte, error) { return []byte(d.String()), nil }
