package docnum

import (
	"fmt"
	"log/slog"
	"strconv"
)

// Series names the issuing series of a passport or permit number, as told by
// its prefix and shape.
type Series uint8

// Passport series (see [ParsePassport]).
const (
	// SeriesPassportE: ordinary e-passport, E + 8 digits (2012 to April 2017),
	// then E + a letter other than I and O + 7 digits.
	SeriesPassportE Series = iota + 1
	// SeriesPassportG: ordinary passport, G + 8 digits, the series issued
	// before the 2012 E series.
	SeriesPassportG
	// SeriesPassportDiplomatic: diplomatic e-passport, DE + 7 digits.
	SeriesPassportDiplomatic
	// SeriesPassportService: service e-passport, SE + 7 digits.
	SeriesPassportService
	// SeriesPassportPublicAffairs: ordinary passport for public affairs
	// (因公普通护照), PE + 7 digits.
	SeriesPassportPublicAffairs
	// SeriesPassportHongKongSAR: Hong Kong SAR passport, K + 8 digits.
	SeriesPassportHongKongSAR
	// SeriesPassportMacaoSAR: Macao SAR passport, MA + 7 digits.
	SeriesPassportMacaoSAR
	// SeriesForeignPassport: any passport checked with the weaker
	// [ParseForeignPassport].
	SeriesForeignPassport
)

// Permit series (see the ParseXxxPermit functions).
const (
	// SeriesHKMacaoCard: electronic exit-entry permit card (since May 2014),
	// C + 8 digits, and since the C-digit range ran out (2018) C + a letter
	// other than I and O + 7 digits.
	SeriesHKMacaoCard Series = iota + 32
	// SeriesHKMacaoBooklet: older booklet permit, W + 8 digits.
	SeriesHKMacaoBooklet
	// SeriesHongKongResident: H + 8 digits, or H + 10 digits on permits whose
	// number still carries the 2-digit renewal count.
	SeriesHongKongResident
	// SeriesMacaoResident: M + 8 digits, or M + 10 digits as above.
	SeriesMacaoResident
	// SeriesTaiwanCard: electronic exit-entry permit card for Taiwan (since
	// 2017), L + 8 digits.
	SeriesTaiwanCard
	// SeriesTaiwanBooklet: older booklet permit for Taiwan, T + 8 digits.
	SeriesTaiwanBooklet
	// SeriesTaiwanResidentLifetime: Taiwan residents' permit number that is
	// the holder's 8-digit lifetime number alone (since September 2008).
	SeriesTaiwanResidentLifetime
	// SeriesTaiwanResidentLegacy: older Taiwan residents' permit number, the
	// lifetime number + 2-digit issue count, optionally followed by the
	// issuing office code in brackets, e.g. 1234567801(B).
	SeriesTaiwanResidentLegacy
)

// String returns a short English name for the series.
func (s Series) String() string {
	switch s {
	case SeriesPassportE:
		return "ordinary e-passport (E)"
	case SeriesPassportG:
		return "ordinary passport (G)"
	case SeriesPassportDiplomatic:
		return "diplomatic passport (DE)"
	case SeriesPassportService:
		return "service passport (SE)"
	case SeriesPassportPublicAffairs:
		return "public affairs passport (PE)"
	case SeriesPassportHongKongSAR:
		return "Hong Kong SAR passport (K)"
	case SeriesPassportMacaoSAR:
		return "Macao SAR passport (MA)"
	case SeriesForeignPassport:
		return "foreign passport"
	case SeriesHKMacaoCard:
		return "HK/Macao exit-entry permit card (C)"
	case SeriesHKMacaoBooklet:
		return "HK/Macao exit-entry permit booklet (W)"
	case SeriesHongKongResident:
		return "Hong Kong residents' permit (H)"
	case SeriesMacaoResident:
		return "Macao residents' permit (M)"
	case SeriesTaiwanCard:
		return "Taiwan exit-entry permit card (L)"
	case SeriesTaiwanBooklet:
		return "Taiwan exit-entry permit booklet (T)"
	case SeriesTaiwanResidentLifetime:
		return "Taiwan residents' permit (8-digit lifetime number)"
	case SeriesTaiwanResidentLegacy:
		return "Taiwan residents' permit (legacy 10-digit number)"
	}
	return "series(" + strconv.Itoa(int(s)) + ")"
}

// Passport numbers are 9 characters in every accepted series.
//
// Sources: National Immigration Administration / Exit-Entry Administration
// public descriptions (E + 8 digits for the 2012 e-passport; from 5 April 2017
// E + letter other than I, O + 7 digits); DE/SE/PE/K/MA and G as commonly
// published and as listed in the trustid issue (not confirmed against an
// official text).
var passportRules = []rule{
	{"E", "99999999", SeriesPassportE},
	{"E", "A9999999", SeriesPassportE},
	{"G", "99999999", SeriesPassportG},
	{"DE", "9999999", SeriesPassportDiplomatic},
	{"SE", "9999999", SeriesPassportService},
	{"PE", "9999999", SeriesPassportPublicAffairs},
	{"K", "99999999", SeriesPassportHongKongSAR},
	{"MA", "9999999", SeriesPassportMacaoSAR},
}

// Passport is a parsed passport number. It is personal data: String, Format
// and LogValue show a masked form (E1*****78); [Passport.Number] returns the
// full canonical number for storage or comparison.
type Passport struct {
	series Series
	n      uint8
	b      [9]byte
}

// ParsePassport checks a passport number issued under the authority of the
// People's Republic of China against the series listed in the package
// documentation. Lower-case and full-width letters and digits are accepted
// and canonicalised to upper-case ASCII; nothing else (no spaces) is.
//
// A well-formed number proves nothing about the existence or validity of a
// passport.
func ParsePassport(s string) (Passport, error) {
	var p Passport
	n, err := foldInto(p.b[:], s, FormatPassport, false)
	if err != nil {
		return Passport{}, err
	}
	r, err := matchRules(FormatPassport, p.b[:n], passportRules)
	if err != nil {
		return Passport{}, err
	}
	p.series, p.n = r.series, uint8(n)
	return p, nil
}

// ParseForeignPassport is a deliberately weak check for passports of other
// states: 1 to 9 characters A-Z and 0-9 (after folding case and width), the
// alphabet and maximum length of the document number field of an ICAO Doc
// 9303 machine-readable zone. It knows no state's series and no check digit
// (the MRZ check digit is not part of the printed number; see verify/mrz).
// Document numbers longer than 9 characters, which Doc 9303 spills into the
// optional data field, are rejected.
func ParseForeignPassport(s string) (Passport, error) {
	var p Passport
	n, err := foldInto(p.b[:], s, FormatForeignPassport, false)
	if err != nil {
		return Passport{}, err
	}
	p.series, p.n = SeriesForeignPassport, uint8(n)
	return p, nil
}

// Series reports the issuing series.
func (p Passport) Series() Series { return p.series }

// Number returns the full canonical number (upper-case ASCII). It is personal
// data; do not log it.
func (p Passport) Number() string { return string(p.b[:p.n]) }

// String returns the masked number, e.g. E1*****78.
func (p Passport) String() string { return mask(p.b[:p.n]) }

// Format writes the masked number for every verb.
func (p Passport) Format(f fmt.State, verb rune) { formatMasked(f, verb, p.String()) }

// LogValue implements [slog.LogValuer] with the masked number.
func (p Passport) LogValue() slog.Value { return slog.StringValue(p.String()) }
