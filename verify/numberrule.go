package verify

import (
	"fmt"
	"time"

	"github.com/trustid/trustid/verify/docnum"
	"github.com/trustid/trustid/verify/idcard"
)

// maxNumberLen bounds a number before it is parsed (in bytes, after [NormalizeNumber]).
const maxNumberLen = 64

// numberRule is one row of the credential number rule table: which number a credential
// kind carries. Exactly one of ids and format is set.
type numberRule struct {
	// ids lists the GB 11643-layout identity numbers (verify/idcard kinds) the kind's
	// number may be. The number is then its holder's identity number.
	ids []idcard.Kind
	// format is the verify/docnum format of the number, for kinds not numbered by an
	// identity number.
	format docnum.Format
}

var (
	// resident: a mainland resident's citizen identity number (公民身份号码), 18 digits or
	// the first-generation 15 (upgraded to 18).
	resident = []idcard.Kind{idcard.Resident, idcard.ResidentLegacy15}
	// permits: the residence permits of Hong Kong, Macao (810000, 820000) and Taiwan
	// (830000) residents (港澳台居民居住证).
	permits = []idcard.Kind{idcard.HKMacaoResidencePermit, idcard.TaiwanResidencePermit}
	foreign = []idcard.Kind{idcard.ForeignPermanentResident}
)

func join(ks ...[]idcard.Kind) []idcard.Kind {
	var out []idcard.Kind
	for _, k := range ks {
		out = append(out, k...)
	}
	return out
}

// numberRules is the one credential number rule table of the library: CheckDocument and
// wallet.Validate both apply it through ParseNumber. Adding a credential kind adds a row
// here (and its name in kindNames). See ParseNumber for the reasons behind each row.
var numberRules = [...]numberRule{
	KindIDCard:            {ids: join(resident, foreign)},
	KindPassport:          {format: docnum.FormatPassport},
	KindHKMacaoPermit:     {format: docnum.FormatHKMacaoExitEntryPermit},
	KindTaiwanPermit:      {format: docnum.FormatTaiwanExitEntryPermit},
	KindHouseholdRegister: {ids: resident},
	KindResidencePermit:   {ids: join(resident, permits)},
	KindDriverLicence:     {ids: join(resident, permits, foreign)},
	KindVehicleLicence:    {format: docnum.FormatPlate},
}

// IdentityNumbered reports whether the number of a credential of kind k is its holder's
// identity number (GB 11643 layout: a resident, residence permit or foreign permanent
// resident number), so that it must be the holder's own: the ID card, the household
// register, the residence permit and the driving licence.
func (k CredentialKind) IdentityNumbered() bool {
	return k.Valid() && numberRules[k].ids != nil
}

// ParseNumber checks number against the number rule of credential kind k and returns its
// canonical form: the key under which registries and wallets hold the credential. It is
// the library's one table of credential number rules: [Checker.CheckDocument] and
// wallet.Validate both call it, so a number one accepts the other accepts too.
//
// The number is first normalised with [NormalizeNumber] (full-width forms folded, spaces,
// hyphens and format characters removed, letters upper-cased), then checked by kind:
//
//	kind                number                                        canonical form
//	id-card             resident (18 or 15 digits), foreign permanent  18 characters
//	                    resident (2023 card, first digit 9)
//	household-register  resident                                      18 characters
//	residence-permit    resident (居住证), or the residence permit of  18 characters
//	                    Hong Kong, Macao (81/82) or Taiwan (83)
//	                    residents (港澳台居民居住证)
//	driver-licence      resident, HK/Macao/Taiwan residence permit or  18 characters
//	                    foreign permanent resident: the holder's
//	                    identity document number (MPS Order No. 162)
//	passport            docnum.FormatPassport (PRC passports)          as docnum
//	hk-macao-permit     docnum.FormatHKMacaoExitEntryPermit            as docnum
//	taiwan-permit       docnum.FormatTaiwanExitEntryPermit             as docnum
//	vehicle-licence     docnum.FormatPlate (the plate)                 without separator
//
// Why: a household register lists citizens only; a residence permit is either a
// mainland resident's 居住证, numbered by their citizen number, or a Hong Kong, Macao or
// Taiwan resident's; a foreigner has no residence permit (their residence permit is a
// visa page). A driving licence is numbered by whatever identity document its holder
// applied with. Foreigners' licences numbered by a passport number are not accepted:
// they have no credential kind of their own yet.
//
// Identity numbers are checked with verify/idcard (check character, birth date not after
// now in China Standard Time, province) with a loose region: a county code missing from
// idcard's table is accepted, because the registry, not a local table, decides whether a
// number exists (Config.StrictRegion narrows CheckDocument further). id is the parsed
// identity number for the kinds whose number is one ([CredentialKind.IdentityNumbered]),
// and the zero Number otherwise; a 15-digit number's canonical form is its 18-digit
// upgrade (id.Legacy reports it).
//
// Errors match [ErrInvalidArgument] and, when a rule of verify/idcard or verify/docnum failed,
// that package's error too. They never contain the number.
func ParseNumber(k CredentialKind, number string, now time.Time) (canonical string, id idcard.Number, err error) {
	if !k.Valid() {
		return "", idcard.Number{}, fmt.Errorf("verify: credential kind %d: %w", uint8(k), ErrInvalidArgument)
	}
	// The same input rule as CheckDocument's, before any normalisation: bytes that are
	// not UTF-8 (or hide the text's direction) are refused, not folded into a number.
	if len(number) > MaxNumberBytes || !cleanText(number) {
		return "", idcard.Number{}, fmt.Errorf("verify: %s number: too long or not clean text: %w", k, ErrInvalidArgument)
	}
	s := NormalizeNumber(number)
	if s == "" || len(s) > maxNumberLen {
		return "", idcard.Number{}, fmt.Errorf("verify: %s number: empty or longer than %d bytes: %w", k, maxNumberLen, ErrInvalidArgument)
	}
	r := numberRules[k]
	if r.ids == nil {
		canonical, err := parseFormat(r.format, s)
		if err != nil {
			return "", idcard.Number{}, fmt.Errorf("verify: %s number: %w: %w", k, ErrInvalidArgument, err)
		}
		return canonical, idcard.Number{}, nil
	}
	n, err := idcard.ParseWith(s, idcard.Options{Now: now, LooseRegion: true})
	if err != nil {
		return "", idcard.Number{}, fmt.Errorf("verify: %s number: %w: %w", k, ErrInvalidArgument, err)
	}
	for _, want := range r.ids {
		if n.Kind() == want {
			return n.Digits(), n, nil
		}
	}
	return "", idcard.Number{}, fmt.Errorf("verify: %s number: a %s number is not accepted: %w", k, n.Kind(), ErrInvalidArgument)
}

// parseFormat returns the canonical form of a number of a docnum format.
func parseFormat(f docnum.Format, s string) (string, error) {
	switch f {
	case docnum.FormatPassport:
		p, err := docnum.ParsePassport(s)
		return p.Number(), err
	case docnum.FormatHKMacaoExitEntryPermit:
		p, err := docnum.ParseHKMacaoExitEntryPermit(s)
		return p.Number(), err
	case docnum.FormatTaiwanExitEntryPermit:
		p, err := docnum.ParseTaiwanExitEntryPermit(s)
		return p.Number(), err
	case docnum.FormatPlate:
		p, err := docnum.ParsePlate(s)
		return p.Number(), err
	}
	return "", docnum.Validate(0, s) // no such row: docnum.ErrFormat
}
