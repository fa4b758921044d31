package docnum

import (
	"fmt"
	"log/slog"
)

// ArchiveNumber is the file number (档案编号) printed on a motor vehicle
// driving licence. The licence number itself is the holder's resident ID
// number and is checked by verify/idcard, not here.
//
// It is personal data: String, Format and LogValue mask it (12********34).
type ArchiveNumber struct {
	b [12]byte
}

// ParseArchiveNumber checks a driving licence file number: exactly 12 ASCII
// (or full-width) digits. Nothing else is checked: the number is commonly
// said to begin with the code of the issuing traffic administration, but no
// public text of the allocation rule or of any check digit was found, so
// neither is enforced.
func ParseArchiveNumber(s string) (ArchiveNumber, error) {
	var a ArchiveNumber
	n, err := foldInto(a.b[:], s, FormatDrivingLicenceArchive, false)
	if err != nil {
		return ArchiveNumber{}, err
	}
	if n != len(a.b) {
		return ArchiveNumber{}, fail(FormatDrivingLicenceArchive, ReasonLength, 0)
	}
	for i, c := range a.b {
		if !isDigit(c) {
			return ArchiveNumber{}, fail(FormatDrivingLicenceArchive, ReasonCharacter, i+1)
		}
	}
	return a, nil
}

// Number returns the 12 digits. It is personal data; do not log it.
func (a ArchiveNumber) Number() string { return string(a.b[:]) }

// String returns the masked number, e.g. 12********34. The zero value prints
// as an empty string.
func (a ArchiveNumber) String() string {
	if a.b[0] == 0 {
		return ""
	}
	return mask(a.b[:])
}

// Format writes the masked number for every verb.
func (a ArchiveNumber) Format(f fmt.State, verb rune) { formatMasked(f, verb, a.String()) }

// LogValue implements [slog.LogValuer] with the masked number.
func (a ArchiveNumber) LogValue() slog.Value { return slog.StringValue(a.String()) }
