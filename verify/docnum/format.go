package docnum

import "strconv"

// Format names a number format implemented by this package. It is not a
// credential kind: a credential kind (verify.CredentialKind) says which
// document a number is on, and verify's number rule table says which Format
// (or identity number) each kind uses.
type Format uint8

// Formats. The zero Format is not valid.
const (
	// FormatPassport is a passport number issued under the authority of the
	// People's Republic of China, see [ParsePassport].
	FormatPassport Format = iota + 1
	// FormatForeignPassport is the generic, weaker ICAO-compatible document
	// number check, see [ParseForeignPassport].
	FormatForeignPassport
	// FormatHKMacaoExitEntryPermit is the Exit-Entry Permit for Travelling to and
	// from Hong Kong and Macao (往来港澳通行证), held by mainland residents.
	FormatHKMacaoExitEntryPermit
	// FormatHKMacaoResidentsPermit is the Mainland Travel Permit for Hong Kong
	// and Macao Residents (港澳居民来往内地通行证, "回乡证").
	FormatHKMacaoResidentsPermit
	// FormatTaiwanExitEntryPermit is the Exit-Entry Permit for Travelling to and
	// from Taiwan (往来台湾通行证), held by mainland residents.
	FormatTaiwanExitEntryPermit
	// FormatTaiwanResidentsPermit is the Mainland Travel Permit for Taiwan
	// Residents (台湾居民来往大陆通行证, "台胞证").
	FormatTaiwanResidentsPermit
	// FormatDrivingLicenceArchive is the 12-digit file number (档案编号) of a
	// motor vehicle driving licence.
	FormatDrivingLicenceArchive
	// FormatPlate is a motor vehicle number plate (GA 36-2018).
	FormatPlate
	// FormatVIN is a vehicle identification number (ISO 3779, GB 16735).
	FormatVIN
)

// String returns a short English name for the format.
func (k Format) String() string {
	switch k {
	case FormatPassport:
		return "passport"
	case FormatForeignPassport:
		return "foreign passport"
	case FormatHKMacaoExitEntryPermit:
		return "HK/Macao exit-entry permit"
	case FormatHKMacaoResidentsPermit:
		return "HK/Macao residents' permit"
	case FormatTaiwanExitEntryPermit:
		return "Taiwan exit-entry permit"
	case FormatTaiwanResidentsPermit:
		return "Taiwan residents' permit"
	case FormatDrivingLicenceArchive:
		return "driving licence archive number"
	case FormatPlate:
		return "number plate"
	case FormatVIN:
		return "VIN"
	}
	return "format(" + strconv.Itoa(int(k)) + ")"
}

// Validate checks s against the rules of format k and returns nil or an
// [*Error]. It is the single entry point for callers that hold a format tag and
// a string; the Parse functions return the parsed value as well.
func Validate(k Format, s string) error {
	var err error
	switch k {
	case FormatPassport:
		_, err = ParsePassport(s)
	case FormatForeignPassport:
		_, err = ParseForeignPassport(s)
	case FormatHKMacaoExitEntryPermit:
		_, err = ParseHKMacaoExitEntryPermit(s)
	case FormatHKMacaoResidentsPermit:
		_, err = ParseHKMacaoResidentsPermit(s)
	case FormatTaiwanExitEntryPermit:
		_, err = ParseTaiwanExitEntryPermit(s)
	case FormatTaiwanResidentsPermit:
		_, err = ParseTaiwanResidentsPermit(s)
	case FormatDrivingLicenceArchive:
		_, err = ParseArchiveNumber(s)
	case FormatPlate:
		_, err = ParsePlate(s)
	case FormatVIN:
		_, err = ParseVIN(s)
	default:
		err = fail(k, ReasonFormat, 0)
	}
	return err
}
