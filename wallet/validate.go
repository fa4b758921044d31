package wallet

import (
	"time"
	"unicode/utf8"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/docnum"
	"github.com/trustid/trustid/verify/idcard"
)

const (
	maxNameRunes     = 64
	maxTextRunes     = 256
	maxRelationRunes = 16
	maxTypeRunes     = 32
	maxSourceRunes   = 64
)

// Validate checks a credential against the document rules of its kind, for the holder
// whose identity number is holderID (see [HolderRef].IDNumber; empty skips the holder
// check), with now as the reference time of the birth-date rule. On success it returns
// the credential in canonical form (the canonical number of verify.ParseNumber: ID
// numbers in 18-character form, plates without separator). What is checked:
//
//   - Number: the number rule of its kind, verify.ParseNumber, the same rule
//     verify.Checker.CheckDocument applies, so that a credential the document check
//     accepts is not refused here for its number. For the kinds numbered by their
//     holder's identity number (the ID card, the household register, the residence
//     permit and the driving licence: verify.CredentialKind.IdentityNumbered), the
//     number is the holder's (idcard.SamePerson with holderID).
//   - Holder: a name of at most 64 characters; the gender and birth date, when given,
//     are valid.
//   - Validity: ValidFrom is a real date; ValidUntil is a real date not before it, or
//     zero with LongTerm. Long-term (长期) validity is allowed for the ID card, the
//     driving licence and the vehicle licence; the household register has no validity
//     period (ValidUntil must be zero; it is treated as long-term, ValidFrom, the issue
//     date, is optional).
//   - Status: one of the defined statuses other than superseded, which only the wallet
//     sets (a source must state the registry's status).
//   - Kind-specific fields: the household number (6 to 12 digits) and relation to the
//     head; the licence class (准驾车型 codes of MPS Order No. 162) and the 12-digit
//     archive number (verify/docnum); the VIN with its check digit (verify/docnum) and
//     the vehicle type. Details of another kind are refused.
//
// Errors are [*Error] values matching [ErrInvalidCredential], with a reason and the
// field name; they never contain the value.
func Validate(c Credential, holderID string, now time.Time) (Credential, error) {
	const op = "validate"
	k := c.Kind
	fail := func(r Reason, field string, err error) (Credential, error) {
		return Credential{}, newErr(op, r, k, field, err)
	}
	if !k.Valid() {
		return fail(ReasonKindInvalid, "kind", nil)
	}
	var holder idcard.Number
	if holderID != "" {
		h, err := parseHolderID(holderID, now)
		if err != nil {
			return fail(ReasonNumberInvalid, "holder_id", err)
		}
		holder = h
	}
	// Details of another kind, or missing details.
	if c.Household != nil && k != verify.KindHouseholdRegister ||
		c.Driver != nil && k != verify.KindDriverLicence ||
		c.Vehicle != nil && k != verify.KindVehicleLicence {
		return fail(ReasonDetailsMismatch, "details", nil)
	}
	if c.Household == nil && k == verify.KindHouseholdRegister ||
		c.Driver == nil && k == verify.KindDriverLicence ||
		c.Vehicle == nil && k == verify.KindVehicleLicence {
		return fail(ReasonFieldMissing, "details", nil)
	}

	// Number: the library's one number rule table.
	number, id, err := verify.ParseNumber(k, c.Number, now)
	if err != nil {
		return fail(ReasonNumberInvalid, "number", err)
	}
	if !id.IsZero() && !holder.IsZero() && !idcard.SamePerson(id, holder) {
		return fail(ReasonHolderMismatch, "number", nil)
	}
	c.Number = number

	// Holder.
	if c.Holder.Name == "" {
		return fail(ReasonNameMissing, "name", nil)
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{"name", c.Holder.Name, maxNameRunes},
		{"latin_name", c.Holder.LatinName, maxNameRunes},
		{"nationality", c.Holder.Nationality, 3},
		{"ethnicity", c.Holder.Ethnicity, maxRelationRunes},
		{"address", c.Holder.Address, maxTextRunes},
		{"authority", c.Authority, maxTextRunes},
		{"source", c.Source, maxSourceRunes},
	} {
		if !text(f.v, f.max) {
			return fail(ReasonFieldInvalid, f.name, nil)
		}
	}
	if c.Holder.Gender > idcard.Male {
		return fail(ReasonFieldInvalid, "gender", nil)
	}
	if !c.Holder.BirthDate.IsZero() && !c.Holder.BirthDate.Valid() {
		return fail(ReasonFieldInvalid, "birth_date", nil)
	}

	// Validity.
	switch {
	case k == verify.KindHouseholdRegister:
		if !c.ValidUntil.IsZero() {
			return fail(ReasonValidityInvalid, "valid_until", nil)
		}
		if !c.ValidFrom.IsZero() && !c.ValidFrom.Valid() {
			return fail(ReasonValidityInvalid, "valid_from", nil)
		}
		c.LongTerm = true
	case !c.ValidFrom.Valid():
		return fail(ReasonValidityInvalid, "valid_from", nil)
	case c.LongTerm:
		if !c.ValidUntil.IsZero() {
			return fail(ReasonValidityInvalid, "valid_until", nil)
		}
		if k != verify.KindIDCard && k != verify.KindDriverLicence && k != verify.KindVehicleLicence {
			return fail(ReasonValidityInvalid, "long_term", nil)
		}
	case !c.ValidUntil.Valid() || c.ValidUntil.Compare(c.ValidFrom) < 0:
		return fail(ReasonValidityInvalid, "valid_until", nil)
	}

	if !c.Status.Valid() || c.Status == StatusSuperseded {
		return fail(ReasonStatusInvalid, "status", nil)
	}

	// Kind-specific fields.
	switch k {
	case verify.KindHouseholdRegister:
		h := *c.Household
		if h.Number == "" {
			return fail(ReasonFieldMissing, "household_number", nil)
		}
		if !digits(h.Number, 6, 12) {
			return fail(ReasonFieldInvalid, "household_number", nil)
		}
		if h.Relation == "" {
			return fail(ReasonFieldMissing, "relation", nil)
		}
		if !text(h.Relation, maxRelationRunes) {
			return fail(ReasonFieldInvalid, "relation", nil)
		}
		c.Household = &h
	case verify.KindDriverLicence:
		d := *c.Driver
		if d.Class == "" {
			return fail(ReasonFieldMissing, "class", nil)
		}
		if !validLicenceClass(d.Class) {
			return fail(ReasonFieldInvalid, "class", nil)
		}
		if d.ArchiveNumber == "" {
			return fail(ReasonFieldMissing, "archive_number", nil)
		}
		a, err := docnum.ParseArchiveNumber(d.ArchiveNumber)
		if err != nil {
			return fail(ReasonFieldInvalid, "archive_number", err)
		}
		d.ArchiveNumber = a.Number()
		c.Driver = &d
	case verify.KindVehicleLicence:
		v := *c.Vehicle
		if v.VIN == "" {
			return fail(ReasonFieldMissing, "vin", nil)
		}
		vin, err := docnum.ParseVIN(v.VIN)
		if err != nil {
			return fail(ReasonFieldInvalid, "vin", err)
		}
		v.VIN = vin.Number()
		if v.Type == "" {
			return fail(ReasonFieldMissing, "vehicle_type", nil)
		}
		if !text(v.Type, maxTypeRunes) {
			return fail(ReasonFieldInvalid, "vehicle_type", nil)
		}
		c.Vehicle = &v
	}
	return c, nil
}

// text reports whether s is valid UTF-8 of at most max runes without control characters.
func text(s string, max int) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

func digits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validLicenceClass checks a permitted vehicle class (准驾车型) as printed: one or more
// codes of MPS Order No. 162 (2021, in force 2022-04-01), each at most once: A1 A2 A3
// B1 B2 C1 C2 C3 C4 C5 C6 D E F M N P.
func validLicenceClass(s string) bool {
	if len(s) > 24 {
		return false
	}
	seen := map[string]bool{}
	for i := 0; i < len(s); {
		var code string
		switch c := s[i]; c {
		case 'A', 'B', 'C':
			if i+1 >= len(s) {
				return false
			}
			d := s[i+1]
			max := byte('3')
			if c == 'B' {
				max = '2'
			} else if c == 'C' {
				max = '6'
			}
			if d < '1' || d > max {
				return false
			}
			code = s[i : i+2]
		case 'D', 'E', 'F', 'M', 'N', 'P':
			code = s[i : i+1]
		default:
			return false
		}
		if seen[code] {
			return false
		}
		seen[code] = true
		i += len(code)
	}
	return len(seen) > 0
}

// parseHolderID parses a holder's identity number: any number of the GB 11643 layout
// (resident, Hong Kong, Macao or Taiwan residence permit, foreign permanent resident),
// normalised and with a loose region as verify.ParseNumber parses identity numbers.
func parseHolderID(s string, now time.Time) (idcard.Number, error) {
	return idcard.ParseWith(verify.NormalizeNumber(s), idcard.Options{Now: now, LooseRegion: true})
}
