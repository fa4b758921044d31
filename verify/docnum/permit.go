package docnum

import (
	"fmt"
	"log/slog"
)

// Sources, in order of the rules below:
//   - HK/Macao exit-entry permit: National Immigration Administration notice
//     "电子往来港澳通行证号码编制规则调整" (10 December 2018): the 2014
//     electronic permit is C + 8 digits; when that range ran out, C + a letter
//     other than I and O + 7 digits, still 9 characters, starting CA0000001.
//     The older booklet form W + 8 digits is accepted as listed in the trustid
//     issue (not confirmed against an official text).
//   - HK/Macao residents' permit: Ministry of Public Security, "港澳居民来往内地
//     通行证号码规则" (published 10 March 2010): 11 characters, H (Hong Kong)
//     or M (Macao), the 8-digit lifetime number, the 2-digit renewal count
//     (00 at first issue). The current card prints H/M + 8 digits; both forms
//     are accepted.
//   - Taiwan exit-entry permit: L + 8 (card) and T + 8 (booklet) are accepted
//     as listed in the trustid issue; not confirmed against an official text.
//   - Taiwan residents' permit: Exit-Entry Administration announcement of
//     September 2008 ("一人一号、终身不变"): since 25 September 2008 the number
//     is the 8-digit lifetime number only; before, the lifetime number + 2-digit
//     issue count + the issuing office code (a letter or digit) in brackets,
//     the brackets and code dropped in Fujian, Jiangsu and Shanghai from June
//     2006. The bracketed code is an office code, not a check character.
var (
	hkMacaoExitEntryRules = []rule{
		{"C", "99999999", SeriesHKMacaoCard},
		{"C", "A9999999", SeriesHKMacaoCard},
		{"W", "99999999", SeriesHKMacaoBooklet},
	}
	hkMacaoResidentsRules = []rule{
		{"H", "99999999", SeriesHongKongResident},
		{"H", "9999999999", SeriesHongKongResident},
		{"M", "99999999", SeriesMacaoResident},
		{"M", "9999999999", SeriesMacaoResident},
	}
	taiwanExitEntryRules = []rule{
		{"L", "99999999", SeriesTaiwanCard},
		{"T", "99999999", SeriesTaiwanBooklet},
	}
	taiwanResidentsRules = []rule{
		{"", "99999999", SeriesTaiwanResidentLifetime},
		{"", "9999999999", SeriesTaiwanResidentLegacy},
		{"", "9999999999(*)", SeriesTaiwanResidentLegacy},
	}
)

// Permit is a parsed travel permit number. It is personal data: String,
// Format and LogValue show a masked form (C1*****78); [Permit.Number] returns
// the full canonical number.
type Permit struct {
	kind   Format
	series Series
	n      uint8
	b      [13]byte
}

func parsePermit(s string, k Format, rules []rule, parens bool, size int) (Permit, error) {
	p := Permit{kind: k}
	n, err := foldInto(p.b[:size], s, k, parens)
	if err != nil {
		return Permit{}, err
	}
	r, err := matchRules(k, p.b[:n], rules)
	if err != nil {
		return Permit{}, err
	}
	p.series, p.n = r.series, uint8(n)
	return p, nil
}

// ParseHKMacaoExitEntryPermit checks the number of an Exit-Entry Permit for
// Travelling to and from Hong Kong and Macao (往来港澳通行证), held by mainland
// residents: C + 8 digits, C + letter (not I, O) + 7 digits, or W + 8 digits.
// Case and full width are folded; no separators are accepted.
func ParseHKMacaoExitEntryPermit(s string) (Permit, error) {
	return parsePermit(s, FormatHKMacaoExitEntryPermit, hkMacaoExitEntryRules, false, 9)
}

// ParseHKMacaoResidentsPermit checks the number of a Mainland Travel Permit
// for Hong Kong and Macao Residents (港澳居民来往内地通行证): H or M + 8 digits,
// or H or M + 10 digits (the 8-digit lifetime number and a 2-digit renewal
// count). See [Permit.HolderNumber] to compare the two forms.
func ParseHKMacaoResidentsPermit(s string) (Permit, error) {
	return parsePermit(s, FormatHKMacaoResidentsPermit, hkMacaoResidentsRules, false, 11)
}

// ParseTaiwanExitEntryPermit checks the number of an Exit-Entry Permit for
// Travelling to and from Taiwan (往来台湾通行证), held by mainland residents:
// L + 8 digits or T + 8 digits.
func ParseTaiwanExitEntryPermit(s string) (Permit, error) {
	return parsePermit(s, FormatTaiwanExitEntryPermit, taiwanExitEntryRules, false, 9)
}

// ParseTaiwanResidentsPermit checks the number of a Mainland Travel Permit
// for Taiwan Residents (台湾居民来往大陆通行证): 8 digits, 10 digits, or 10
// digits followed by a bracketed issuing office code, a letter or digit, as in
// 1234567801(B). ASCII or full-width brackets are accepted; the canonical
// form uses ASCII brackets. There is no check character in any form.
func ParseTaiwanResidentsPermit(s string) (Permit, error) {
	return parsePermit(s, FormatTaiwanResidentsPermit, taiwanResidentsRules, true, 13)
}

// NumberFormat reports which permit format the number follows.
func (p Permit) NumberFormat() Format { return p.kind }

// Series reports the issuing series.
func (p Permit) Series() Series { return p.series }

// Number returns the full canonical number. It is personal data; do not log
// it.
func (p Permit) Number() string { return string(p.b[:p.n]) }

// HolderNumber returns the part of the number that stays the same for one
// holder across renewals, per the sources cited in the package documentation:
// the first 9 characters (H/M + lifetime number) of a residents' permit for
// Hong Kong and Macao, the first 8 digits of a Taiwan residents' permit, and
// the whole number for the other permits. It is personal data.
func (p Permit) HolderNumber() string {
	switch p.kind {
	case FormatHKMacaoResidentsPermit:
		return string(p.b[:min(int(p.n), 9)])
	case FormatTaiwanResidentsPermit:
		return string(p.b[:min(int(p.n), 8)])
	}
	return p.Number()
}

// IssueCount returns the 2-digit renewal or issue count carried by the long
// forms of the residents' permits (00 for the first issue of a Hong Kong or
// Macao residents' permit). ok is false when the number carries none.
func (p Permit) IssueCount() (count int, ok bool) {
	var at int
	switch {
	case p.kind == FormatHKMacaoResidentsPermit && p.n == 11:
		at = 9
	case p.kind == FormatTaiwanResidentsPermit && p.n >= 10:
		at = 8
	default:
		return 0, false
	}
	return int(p.b[at]-'0')*10 + int(p.b[at+1]-'0'), true
}

// String returns the masked number, e.g. C1*****78.
func (p Permit) String() string { return mask(p.b[:p.n]) }

// Format writes the masked number for every verb.
func (p Permit) Format(f fmt.State, verb rune) { formatMasked(f, verb, p.String()) }

// LogValue implements [slog.LogValuer] with the masked number.
func (p Permit) LogValue() slog.Value { return slog.StringValue(p.String()) }
