package idcard

// The region table is generated from npm tarballs in $IDCARD_NPM_DIR; see
// internal/gen/SOURCES.md for how to fetch them.
//go:generate go run ./internal/gen -dir $IDCARD_NPM_DIR -o regions_gen.go

// RegionStatus says what the region table knows about a six-digit code.
type RegionStatus uint8

// Region statuses returned by [LookupRegion].
const (
	// RegionUnknown: the code is malformed or in none of the lists.
	RegionUnknown RegionStatus = iota
	// RegionHistorical: the code was listed once but is not in the newest
	// list (abolished or renumbered); numbers issued earlier still carry it.
	RegionHistorical
	// RegionCurrent: the code is in the newest list of the sources (see
	// internal/gen/SOURCES.md). That list lags behind the Ministry of Civil
	// Affairs and is not exact: for example 330103 and 330104 (Hangzhou's
	// 下城区 and 江干区, abolished in 2021) are still reported current.
	RegionCurrent
)

// String returns "unknown", "historical" or "current".
func (s RegionStatus) String() string {
	switch s {
	case RegionHistorical:
		return "historical"
	case RegionCurrent:
		return "current"
	}
	return "unknown"
}

// LookupRegion looks a six-digit administrative division code (行政区划代码)
// up in the compiled region table. Residence-permit prefixes
// 810000/820000/830000 are not in the table (they are not division codes of
// resident numbers) and report RegionUnknown. It does not allocate.
func LookupRegion(code string) RegionStatus {
	if len(code) != 6 {
		return RegionUnknown
	}
	for i := range 6 {
		if code[i] < '0' || code[i] > '9' {
			return RegionUnknown
		}
	}
	p := int(code[0]-'0')*10 + int(code[1]-'0')
	if searchSuffix(regionCurrent[p], code[2], code[3], code[4], code[5]) {
		return RegionCurrent
	}
	if searchSuffix(regionKnown[p], code[2], code[3], code[4], code[5]) {
		return RegionHistorical
	}
	return RegionUnknown
}

// searchSuffix binary-searches tab, a sorted run of four-digit ASCII
// entries, for the entry a b c d.
func searchSuffix(tab string, a, b, c, d byte) bool {
	key := uint32(a)<<24 | uint32(b)<<16 | uint32(c)<<8 | uint32(d)
	lo, hi := 0, len(tab)/4
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		e := tab[mid*4 : mid*4+4]
		k := uint32(e[0])<<24 | uint32(e[1])<<16 | uint32(e[2])<<8 | uint32(e[3])
		switch {
		case k == key:
			return true
		case k < key:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return false
}
