package idcard

import (
	"iter"
	"strconv"
)

// The region table is generated from a checkout of yescallop/areacodes in
// $IDCARD_AREACODES_DIR and npm tarballs in $IDCARD_NPM_DIR; see
// internal/gen/SOURCES.md for how to fetch them.
//go:generate go run ./internal/gen -areacodes $IDCARD_AREACODES_DIR -npm $IDCARD_NPM_DIR -o regions_gen.go

// RegionStatus says what the region table knows about a six-digit code.
type RegionStatus uint8

// Region statuses, in [Region].Status.
const (
	// RegionUnknown: the code is malformed or in none of the lists.
	RegionUnknown RegionStatus = iota
	// RegionHistorical: a year-end list of the Ministry of Civil Affairs
	// carried the code, the newest one does not (abolished or renumbered);
	// numbers issued earlier still carry it.
	RegionHistorical
	// RegionCurrent: the code is in the newest year-end list of the
	// Ministry of Civil Affairs that the table holds (see [Region]).
	RegionCurrent
	// RegionSecondary: no year-end list of the Ministry of Civil Affairs
	// since 1981 carries the code, but one of the collections the table was
	// first built from does (GB/T 2260 revisions, statistics-bureau codes of
	// development zones and 市辖区, codes of the early 1980s). Strict
	// parsing accepts it, because numbers carrying such codes may exist; its
	// years of use are unknown and its name is the collection's.
	RegionSecondary
)

// String returns "unknown", "historical", "current" or "secondary".
func (s RegionStatus) String() string {
	switch s {
	case RegionHistorical:
		return "historical"
	case RegionCurrent:
		return "current"
	case RegionSecondary:
		return "secondary"
	}
	return "unknown"
}

// Region is what the region table records about a code for one span of
// years. Years are those of the Ministry of Civil Affairs year-end lists
// (the state on 31 December): a code whose LastYear is 1997 was still in use
// on 31 December 1997 and left use at some date in 1998; a FirstYear of 1981
// means "in use by the end of 1981", the first list the table holds.
type Region struct {
	Status RegionStatus
	// Province, Prefecture and County are the names of the province-level,
	// prefecture-level and county-level divisions the code stood for
	// during the span, in Chinese as in the lists. Prefecture is empty for
	// a province-level code and for county-level divisions directly under a
	// province; County is empty for province- and prefecture-level codes.
	// For RegionSecondary codes Prefecture is empty unless the code itself
	// is prefecture-level.
	Province, Prefecture, County string
	// FirstYear and LastYear are the first and last year-end lists that
	// carry the code under these names. LastYear is 0 while the code is in
	// the newest list (Status RegionCurrent); both are 0 for
	// RegionSecondary and RegionUnknown.
	FirstYear, LastYear int
}

// String describes r for people, e.g. "河南省 信阳地区 信阳市 (1981-1997)",
// "北京市 朝阳区 (1981-)", "河北省 市辖区 (years unknown)" or "unknown".
func (r Region) String() string {
	if r.Status == RegionUnknown {
		return "unknown"
	}
	s := r.Province
	for _, n := range [2]string{r.Prefecture, r.County} {
		if n != "" {
			s += " " + n
		}
	}
	switch {
	case r.FirstYear == 0:
		return s + " (years unknown)"
	case r.LastYear == 0:
		return s + " (" + strconv.Itoa(r.FirstYear) + "-)"
	}
	return s + " (" + strconv.Itoa(r.FirstYear) + "-" + strconv.Itoa(r.LastYear) + ")"
}

// LookupRegion looks a six-digit administrative division code (行政区划代码)
// up in the compiled region table and returns its newest span: its names
// and years of use. A code reused for a different division, or renamed,
// has several spans; [RegionSpans] lists them all. Residence-permit prefixes
// 810000/820000/830000 are not in the table (they are not division codes of
// resident numbers) and report RegionUnknown, as does any input that is not
// six ASCII digits. It does not allocate.
//
// The table holds every code of the Ministry of Civil Affairs year-end lists
// from 1981 to the newest one (2024), and the codes only earlier
// collections list as [RegionSecondary]; see the package documentation.
func LookupRegion(code string) Region {
	i, n := findRegion(code)
	if n == 0 {
		return Region{}
	}
	return regionAt(i + n - 1)
}

// RegionSpans yields every span of code in the region table, oldest first,
// and nothing for a code LookupRegion reports unknown. Spans of one code do
// not overlap; a gap between two of them means the code was out of use.
func RegionSpans(code string) iter.Seq[Region] {
	return func(yield func(Region) bool) {
		i, n := findRegion(code)
		for j := i; j < i+n; j++ {
			if !yield(regionAt(j)) {
				return
			}
		}
	}
}

// findRegion returns the index of the first span of code in the table and
// the number of its spans (0 if none).
func findRegion(code string) (int, int) {
	if len(code) != 6 {
		return 0, 0
	}
	for i := range 6 {
		if code[i] < '0' || code[i] > '9' {
			return 0, 0
		}
	}
	return findSpans(code[0], code[1], code[2], code[3], code[4], code[5])
}

// findSpans binary-searches the spans of province prefix ab for the suffix
// cdef (all ASCII digits) and returns the index of the first span and how
// many there are.
func findSpans(a, b, c, d, e, f byte) (int, int) {
	p := int(a-'0')*10 + int(b-'0')
	key := uint16(c-'0')*1000 + uint16(d-'0')*100 + uint16(e-'0')*10 + uint16(f-'0')
	lo, hi := int(regionStart[p]), int(regionStart[p+1])
	end := hi
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if regionSuffix[mid] < key {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	n := 0
	for lo+n < end && regionSuffix[lo+n] == key {
		n++
	}
	return lo, n
}

// regionName returns name i of the table.
func regionName(i uint16) string {
	return regionNames[regionNameStart[i]:regionNameStart[i+1]]
}

// regionAt decodes span i of the table.
func regionAt(i int) Region {
	r := Region{
		Status:     RegionHistorical,
		Province:   regionName(regionProvinceNames[regionProvince[i]]),
		Prefecture: regionName(regionPrefecture[i]),
		County:     regionName(regionCounty[i]),
	}
	switch first, last := regionFirst[i], regionLast[i]; {
	case first == yearUnknown:
		r.Status = RegionSecondary
	case last == yearInUse:
		r.Status = RegionCurrent
		r.FirstYear = yearBase + int(first)
	default:
		r.FirstYear, r.LastYear = yearBase+int(first), yearBase+int(last)
	}
	return r
}

// hasProvince reports whether the table has codes under province prefix p.
func hasProvince(p int) bool { return regionStart[p] != regionStart[p+1] }
