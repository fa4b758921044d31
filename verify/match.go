package verify

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustid/trustid/verify/internal/han"
)

// FieldResult is the result of comparing one claimed field with the record.
type FieldResult uint8

// Field results. The zero value is FieldNotProvided.
const (
	// FieldNotProvided: the claim left the field empty; it was not compared.
	FieldNotProvided FieldResult = iota
	// FieldMatch: equal after normalisation (see [NormalizeName], [LatinNameForms]).
	FieldMatch
	// FieldLenientMatch: equal only after lenient folding — a name with its separators
	// removed or its words reordered (or, under Policy.TraditionalSimplified, written in
	// traditional characters), or an address without its leading administrative
	// divisions (see [MatchAddress]).
	FieldLenientMatch
	// FieldMismatch: different.
	FieldMismatch
	// FieldNotInRecord: the claim gave a value but the record has none to compare with.
	FieldNotInRecord
)

var fieldResultNames = [...]string{"not-provided", "match", "lenient-match", "mismatch", "not-in-record"}

// String returns "not-provided", "match", "lenient-match", "mismatch" or "not-in-record".
func (f FieldResult) String() string {
	if int(f) < len(fieldResultNames) {
		return fieldResultNames[f]
	}
	return fmt.Sprintf("FieldResult(%d)", uint8(f))
}

// MarshalText encodes f as its String form.
func (f FieldResult) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// Fields holds the comparison result of every claimed field. It holds no personal data.
type Fields struct {
	Name        FieldResult `json:"name"`
	LatinName   FieldResult `json:"latin_name"`
	Gender      FieldResult `json:"gender"`
	BirthDate   FieldResult `json:"birth_date"`
	Nationality FieldResult `json:"nationality"`
	Ethnicity   FieldResult `json:"ethnicity"`
	Address     FieldResult `json:"address"`
}

// MatchName compares a claimed name with a recorded name: [FieldMatch] when their
// [NormalizeName] forms are equal, [FieldLenientMatch] when they are equal only with
// every separator and middle-dot substitute removed, [FieldMismatch] otherwise. An empty
// claim is [FieldNotProvided]; an empty record is [FieldNotInRecord].
//
// A side longer than [MaxNameBytes], holding invalid UTF-8, a bidirectional control
// (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) or U+FFFD is a mismatch, checked
// before normalisation: invalid UTF-8 must not act as a wildcard for a record holding
// U+FFFD, and "\u202E张伟", which displays as 伟张, must not silently match 张伟.
func MatchName(claimed, recorded string) FieldResult {
	res, _ := matchName(claimed, recorded, false)
	return res
}

// matchName is MatchName with the policy's traditional-simplified option; it also
// reports whether the result is lenient only because of that option.
func matchName(claimed, recorded string, tradSimp bool) (res FieldResult, traditional bool) {
	switch {
	case claimed == "":
		return FieldNotProvided, false
	case !usableText(claimed, MaxNameBytes) || !usableText(recorded, MaxNameBytes):
		return FieldMismatch, false
	}
	c, r := NormalizeName(claimed), NormalizeName(recorded)
	switch {
	case c == "":
		return FieldNotProvided, false
	case r == "":
		return FieldNotInRecord, false
	case strings.ContainsRune(c, utf8.RuneError) || strings.ContainsRune(r, utf8.RuneError):
		return FieldMismatch, false
	case c == r:
		return FieldMatch, false
	case lenientName(c) == lenientName(r):
		return FieldLenientMatch, false
	case tradSimp && sameSimplified(lenientName(c), lenientName(r)):
		return FieldLenientMatch, true
	}
	return FieldMismatch, false
}

// usableText reports whether s may be compared at all: within limit bytes, valid UTF-8,
// without bidirectional controls.
func usableText(s string, limit int) bool { return len(s) <= limit && cleanText(s) }

// sameSimplified reports whether a and b have the same length and, character by
// character, are equal or traditional and simplified forms of each other.
func sameSimplified(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) {
		return false
	}
	for i := range ra {
		if !han.SameSimplified(ra[i], rb[i]) {
			return false
		}
	}
	return true
}

// MatchLatinName compares Latin-script names the ICAO 9303 way: [FieldMatch] when any
// transliteration of one ([LatinNameForms]) equals any of the other (MÜLLER matches
// MUELLER and MULLER, case-insensitive, '<', hyphens, dashes and apostrophes of every
// kind read as spaces); [FieldLenientMatch] when they are equal only with the words in
// another order or with the spaces removed; [FieldMismatch] otherwise. A side longer than
// [MaxNameBytes], holding invalid UTF-8 or a bidirectional control is a mismatch, checked
// before anything else.
func MatchLatinName(claimed, recorded string) FieldResult {
	switch {
	case claimed == "":
		return FieldNotProvided
	case !usableText(claimed, MaxNameBytes) || !usableText(recorded, MaxNameBytes):
		return FieldMismatch
	}
	cf, rf := LatinNameForms(claimed), LatinNameForms(recorded)
	switch {
	case len(cf) == 1 && cf[0] == "":
		return FieldNotProvided
	case len(rf) == 1 && rf[0] == "":
		return FieldNotInRecord
	case slices.ContainsFunc(cf, hasRuneError) || slices.ContainsFunc(rf, hasRuneError):
		return FieldMismatch
	}
	for _, c := range cf {
		if _, ok := slices.BinarySearch(rf, c); ok {
			return FieldMatch
		}
	}
	// Each form's lenient keys are computed once, not once per pair (up to 64 × 64).
	type keys struct{ words, joined string }
	lenient := func(forms []string) []keys {
		k := make([]keys, len(forms))
		for i, f := range forms {
			k[i] = keys{sortedWords(f), strings.ReplaceAll(f, " ", "")}
		}
		return k
	}
	rk := lenient(rf)
	for _, c := range lenient(cf) {
		for _, r := range rk {
			if c.words == r.words || c.joined == r.joined {
				return FieldLenientMatch
			}
		}
	}
	return FieldMismatch
}

func hasRuneError(s string) bool { return strings.ContainsRune(s, utf8.RuneError) }

func sortedWords(s string) string {
	w := strings.Fields(s)
	slices.Sort(w)
	return strings.Join(w, " ")
}

// MatchAddress compares addresses: both are normalised with [NormalizeAddress]; equal is
// [FieldMatch]. The only lenient match ([FieldLenientMatch]) is one address being the
// other with leading administrative divisions dropped: the longer ends with the shorter,
// and what the shorter lacks is, in order, an optional province-level division (one of
// the 34, with or without its 省/市/自治区/特别行政区), an optional prefecture-level one
// (ending in 市, 州, 盟 or 地区) and an optional county-level one (ending in 区, 县, 市 or
// 旗), each of 2 to 16 characters with no digit, Latin letter, street-level word (路,
// 街, 号, 楼, 室, 单元, 村, 小区, 院, ...) or the suffix of another division inside it,
// and the cut falling after a whole division (not between 广州 and 市). So 朝阳区建国路88号院3号楼2单元501室 and
// 建国路88号院3号楼2单元501室 match 北京市朝阳区建国路88号院3号楼2单元501室 leniently, and
// the claim may also add a province, city or district the record lacks; but a part of
// the address (北京市朝阳区建国路88号院, 3号楼2单元501室), the address with anything
// appended or prepended that is not a whole division (several candidate addresses
// joined together), or a different address is [FieldMismatch]. Substrings never match,
// so the result cannot be steered by concatenation or used to build the recorded
// address piece by piece.
//
// A side longer than [MaxAddressBytes], holding invalid UTF-8 or a bidirectional control
// is a mismatch, checked before normalisation.
func MatchAddress(claimed, recorded string) FieldResult {
	switch {
	case claimed == "":
		return FieldNotProvided
	case !usableText(claimed, MaxAddressBytes) || !usableText(recorded, MaxAddressBytes):
		return FieldMismatch
	}
	c, r := NormalizeAddress(claimed), NormalizeAddress(recorded)
	switch {
	case c == "":
		return FieldNotProvided
	case r == "":
		return FieldNotInRecord
	case hasRuneError(c) || hasRuneError(r):
		return FieldMismatch
	case c == r:
		return FieldMatch
	}
	short, long := c, r
	if len(short) > len(long) {
		short, long = long, short
	}
	if !strings.HasSuffix(long, short) {
		return FieldMismatch
	}
	dropped := []rune(long[:len(long)-len(short)])
	// The cut must fall after a whole division: 北京|市朝阳区… and 广东省广州|市天河区… cut a
	// name from its suffix. A county named 市中区 after a city (青岛市|市南区) is whole.
	if first, _ := utf8.DecodeRuneInString(short); strings.ContainsRune(divisionSuffixRunes, first) && len(dropped) > 0 && dropped[len(dropped)-1] != first {
		return FieldMismatch
	}
	if administrativePrefix(dropped) {
		return FieldLenientMatch
	}
	return FieldMismatch
}

// divisionSuffixRunes are the characters that end the name of a division.
const divisionSuffixRunes = "省市区县州盟旗"

// provinces are the province-level divisions, full and short names, longest first so
// that the full name is tried before its short form.
var provinces = func() [][]rune {
	names := []string{
		"北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省",
		"江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
		"广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
		"内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
		"香港特别行政区", "澳门特别行政区",
		"北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
		"安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
		"云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
	}
	rs := make([][]rune, len(names))
	for i, n := range names {
		rs[i] = []rune(n)
	}
	slices.SortStableFunc(rs, func(a, b []rune) int { return len(b) - len(a) })
	return rs
}()

var (
	prefectureSuffixes = []string{"市", "州", "盟", "地区"}
	countySuffixes     = []string{"区", "县", "市", "旗"}
	// streetWords mark a part of an address below the county level; they appear in no
	// name of a prefecture- or county-level division.
	streetWords = []string{"路", "街", "巷", "弄", "号", "楼", "室", "单元", "村", "组", "小区", "社区",
		"大厦", "栋", "幢", "层", "院", "胡同", "园", "苑", "广场", "公寓", "宿舍"}
)

// administrativePrefix reports whether d (a normalised address part) is, in order, an
// optional province-level division, an optional prefecture-level one and an optional
// county-level one, and not empty.
func administrativePrefix(d []rune) bool {
	if len(d) == 0 || len(d) > 48 {
		return false
	}
	if divisions(d) {
		return true
	}
	for _, p := range provinces {
		if len(d) >= len(p) && slices.Equal(d[:len(p)], p) && (len(d) == len(p) || divisions(d[len(p):])) {
			return true
		}
	}
	return false
}

// divisions reports whether d is a prefecture-level division, a county-level one, or
// the one followed by the other.
func divisions(d []rune) bool {
	if division(d, prefectureSuffixes) || division(d, countySuffixes) {
		return true
	}
	for i := 2; i <= len(d)-2; i++ {
		if division(d[:i], prefectureSuffixes) && division(d[i:], countySuffixes) {
			return true
		}
	}
	return false
}

// division reports whether d is the name of one division: 2 to 16 characters ending in
// one of suffixes, without digits, Latin letters or street-level words.
func division(d []rune, suffixes []string) bool {
	if len(d) < 2 || len(d) > 16 {
		return false
	}
	s := string(d)
	if !slices.ContainsFunc(suffixes, func(x string) bool { return strings.HasSuffix(s, x) && len(s) > len(x) }) {
		return false
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r < utf8.RuneSelf || unicode.IsDigit(r) || unicode.In(r, unicode.Latin) }) {
		return false
	}
	// One division per name: 朝阳区万科城北区 is a district and something below it. Only
	// 市 may begin a name (市中区, 市南区), and 州 may stand inside one (通州区).
	name := []rune(s)[:len(d)-1]
	if strings.HasSuffix(s, "地区") {
		name = name[:len(name)-1]
	}
	for i, r := range name {
		if strings.ContainsRune("区县省盟旗", r) || r == '市' && i > 0 {
			return false
		}
	}
	return !slices.ContainsFunc(streetWords, func(w string) bool { return strings.Contains(s, w) })
}

// matchExact compares two values that need no normalisation beyond the caller's.
func matchExact[T comparable](claimed, recorded T) FieldResult {
	var zero T
	switch {
	case claimed == zero:
		return FieldNotProvided
	case recorded == zero:
		return FieldNotInRecord
	case claimed == recorded:
		return FieldMatch
	}
	return FieldMismatch
}

// normalizeEthnicity folds "汉族" and "汉" to one form.
func normalizeEthnicity(s string) string {
	return strings.TrimSuffix(NormalizeName(s), "族")
}

// matchNormalized compares two short fields after norm, refusing a side over
// [MaxNameBytes] or with invalid text before normalising it.
func matchNormalized(claimed, recorded string, norm func(string) string) FieldResult {
	if claimed == "" {
		return FieldNotProvided
	}
	if !usableText(claimed, MaxNameBytes) || !usableText(recorded, MaxNameBytes) {
		return FieldMismatch
	}
	return matchExact(norm(claimed), norm(recorded))
}
