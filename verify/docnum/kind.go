package docnum

import "strconv"

// Kind names a credential number rule implemented by this package.
type Kind uint8

// Kinds. The zero Kind is not valid.
const (
	// KindPassport is a passport number issued under the authority of the
	// People's Republic of China, see [ParsePassport].
	KindPassport Kind = iota + 1
	// KindForeignPassport is the generic, weaker ICAO-compatible document
	// number check, see [ParseForeignPassport].
	KindForeignPassport
	// KindHKMacaoExitEntryPermit is the Exit-Entry Permit for Travelling to and
	// from Hong Kong and Macao (往来港澳通行证), held by mainland residents.
	KindHKMacaoExitEntryPermit
	// KindHKMacaoResidentsPermit is the Mainland Travel Permit for Hong Kong
	// and Macao Residents (港澳居民来往内地通行证, "回乡证").
	KindHKMacaoResidentsPermit
	// KindTaiwanExitEntryPermit is the Exit-Entry Permit for Travelling to and
	// from Taiwan (往来台湾通行证), held by mainland residents.
	KindTaiwanExitEntryPermit
	// KindTaiwanResidentsPermit is the Mainland Travel Permit for Taiwan
	// Residents (台湾居民来往大陆通行证, "台胞证").
	KindTaiwanResidentsPermit
	// KindDrivingLicenceArchive is the 12-digit file number (档案编号) of a
	// motor vehicle driving licence.
	KindDrivingLicenceArchive
	// KindPlate is a motor vehicle number plate (GA 36-2018).
	KindPlate
	// KindVIN is a vehicle identification number (ISO 3779, GB 16735).
	KindVIN
)

// String returns a short English name for the kind.
func (k Kind) String() string {
	switch k {
	case KindPassport:
		return "passport"
	case KindForeignPassport:
		return "foreign passport"
	case KindHKMacaoExitEntryPermit:
		return "HK/Macao exit-entry permit"
	case KindHKMacaoResidentsPermit:
		return "HK/Macao residents' permit"
	case KindTaiwanExitEntryPermit:
		return "Taiwan exit-entry permit"
	case KindTaiwanResidentsPermit:
		return "Taiwan residents' permit"
	case KindDrivingLicenceArchive:
		return "driving licence archive number"
	case KindPlate:
		return "number plate"
	case KindVIN:
		return "VIN"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Validate checks s against the rules of kind k and returns nil or an
// [*Error]. It is the single entry point for callers that hold a kind tag and
// a string; the Parse functions return the parsed value as well.
func Validate(k Kind, s string) error {
	var err error
	switch k {
	case KindPassport:
		_, err = ParsePassport(s)
	case KindForeignPassport:
		_, err = ParseForeignPassport(s)
	case KindHKMacaoExitEntryPermit:
		_, err = ParseHKMacaoExitEntryPermit(s)
	case KindHKMacaoResidentsPermit:
		_, err = ParseHKMacaoResidentsPermit(s)
	case KindTaiwanExitEntryPermit:
		_, err = ParseTaiwanExitEntryPermit(s)
	case KindTaiwanResidentsPermit:
		_, err = ParseTaiwanResidentsPermit(s)
	case KindDrivingLicenceArchive:
		_, err = ParseArchiveNumber(s)
	case KindPlate:
		_, err = ParsePlate(s)
	case KindVIN:
		_, err = ParseVIN(s)
	default:
		err = fail(k, ReasonKind, 0)
	}
	return err
}
