package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// areacodesCommit is the commit of github.com/yescallop/areacodes whose files
// are read. The files are checked by SHA-256, not by this hash; it is here so
// the output can say where the data came from.
const areacodesCommit = "eed219a0678d36bacaa717f62443b10e869f0291"

// firstListYear and newestListYear bound the year-end lists of the
// collection: data/1981.txt is the list as of 31 December 1981, and so on.
const (
	firstListYear  = 1981
	newestListYear = 2024
)

// resultSHA256 is the SHA-256 of result.csv at areacodesCommit.
const resultSHA256 = "e3b69e8e13fcb3151b5cd6a03674f89e043f301f308dcb67283533f1a8239794"

// yearSHA256 holds the SHA-256 of data/YYYY.txt at areacodesCommit. Every
// year-end list is read to check the spans of result.csv against it.
var yearSHA256 = map[int]string{
	1981: "645b85f11c759b2cb9cdefc3e7271c1d5cdb7c2bf3eeca3d02dbabccf8037113",
	1982: "9523c66325dfeebf980dcf6b15396edfc492affd971651ecf065e887a812d1bc",
	1983: "df226dcacff0508e536134b710b5fa1e69aa39fcc24550dc8324d0e8a2ee05ed",
	1984: "0d7927a0d34c7316a25e30ee43a07cf6697332f1f3f3271149aecac2d7433594",
	1985: "8597d2813462d3746aeb011980ca14bd7abb10c364b6285aac683d5905558013",
	1986: "5b06148d17868b9f26d3fa95ba3645fdc13d40f177a1c3c21b2fe0319358c7b9",
	1987: "d76cf8424e1a01469385de13ba5ab57f893e0caf0744271983434fcaacfb058d",
	1988: "f2a7904518a4aedfa1b8f9c218dbaee95d80cd99669bfb6d032550a0c92f9948",
	1989: "b4bb49029520ecf403ab1623a8b54b052355cb9afa5d86108fcbf2722f546a8f",
	1990: "65f68a2b4bdc362e8015e27e27855f97ec957335a412763488d28d59d5bb733a",
	1991: "afc6a113b37d0af0f35aba864952311c1d0e2a4a3787af1af21509735b488fef",
	1992: "1c85247506bbbd28137e686719c6cdc5f966afc328e62a4fdd1e033dbc268cdf",
	1993: "a7d46bcab38dc6844cc3481cfb0f46a3ea4dcb10104bd0aa614af3aacc063464",
	1994: "41dc1e4165e99a858c706430464106a028412ec44df6da3573364e966e139188",
	1995: "172c6b8bed661f9435eb3f40783e0114a9eb01a05123af471414e8906c88ed32",
	1996: "d4f3d190ba2e9c41c5ec9d37f78e23e41f055f415d11f4a2b4a6026950c9ea23",
	1997: "02deefbab1bee3671beb58092a631290f33c70fb490f1eaad224afdf8f28eb1b",
	1998: "9e24df0be99799c9bd7100cb733b302220bce564a443c606e73181738974edeb",
	1999: "712650047c95a33db84ca997d7525cb488f22768273079ba574e6f7e89e6f38a",
	2000: "d8f7e30f1af9f181a61a5e5e059dcf544d6d65035ab29b8d24d2ac1516575d87",
	2001: "5b72e2129cb738173d76724ba549986f9a6014eceef1e063a4945102720c917b",
	2002: "5037907146c9f3c9e897a8b5ddd2b556f17f353cff921333f50be404f308e6e6",
	2003: "a0acfe875e24e1e30371dd69c04f073d0eb0e8161fdc545a3f0243a105ee1646",
	2004: "77a22425134a8342937b3c6921e01ad261aad6c846b3b2cbe48e4f99b67bd36a",
	2005: "fdaf6ffee0922cf639b6f33f048cea8c15a45b9fe74006175fa18d17458f8824",
	2006: "257f0064500ba60b0613675114e4b50a26c2d48a4c2e3f9bc1355954ef10c610",
	2007: "4f02c386e13a12a78c0a8ec8f8c6e4a7ba6d1f7b35e56fddc4d3e8058b14799a",
	2008: "4f02c386e13a12a78c0a8ec8f8c6e4a7ba6d1f7b35e56fddc4d3e8058b14799a",
	2009: "579059a72b0d64a8449974bf5c56bfb56118f94184690808f1c6edd7f5d496be",
	2010: "be14f364724d5b8f4c9765312aa6d9b92d82995b9b6093656093940e1448a6de",
	2011: "ec882f3e268e4e7b8285fd9b589b8a5b35fe0a91f7bf36c2c63216e76125f220",
	2012: "65f3129cc62e28b3d8901fb80ccc9887188aa9f998d6fd570c8e90a3e336ca3b",
	2013: "35e8ce488b7b045c3a228df28288f83d473f43fd7d104421d2f8a871a964f236",
	2014: "49b2b10ad47b22b8e07e112f01f76ef10c854a0e9052c7b6aeae8ebe5a5c24a2",
	2015: "b607d8ee29def2aed7a323ebddd3464f22a0bbef204896ab0a225215f310eae8",
	2016: "98373a7b2a83435ca657d7e126b8d73d253204c32f7d280ef06afea45507ec8c",
	2017: "e7d95f54e8a7e004e3ac214c693d0b582c852d39f68406b45956cecc08aa7ce5",
	2018: "2de427070f700726d4847f0ac7eb33e8e723e05f4591a1d41eb918d2f74ec785",
	2019: "c93488d31fb6510cefaf0b9446f0646b3ad2b23acfd9eb217b2aee223a1d8641",
	2020: "b3a54d636c4bbdf0b7702cf3683eca12decd14ba26eb9d3dc5c64dd2b1a031a1",
	2021: "8838dc837ad0ff784031cf59069957fae90f37de92ca87598882f1e84a159705",
	2022: "8838dc837ad0ff784031cf59069957fae90f37de92ca87598882f1e84a159705",
	2023: "ca00f3be246ba02f39b1768de6d2cef6e49f4d3b10ef82db937f0a59a8e50e2f",
	2024: "4bfd0a05caa1abdf6add54301eebb256156a0044010244ecdb659062cdbc0313",
}

// span is one row of the output table: a code with the names it had and the
// years of the year-end lists that carried it under those names.
type span struct {
	code                         string
	province, prefecture, county string
	// first and last are the first and last year-end lists carrying the
	// code; last is 0 while it is in the newest list. Both are 0 for codes
	// that only the secondary sources list (no years known).
	first, last int
}

// readVerified reads path and refuses it unless its SHA-256 is want.
func readVerified(path, want string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(raw)
	if got := hex.EncodeToString(sum[:]); got != want {
		return nil, fmt.Errorf("%s: SHA-256 %s, want %s (not the file of areacodes commit %s)", path, got, want, areacodesCommit)
	}
	return raw, nil
}

// readAreacodes reads result.csv of the areacodes checkout in dir and checks
// every span against the year-end lists data/YYYY.txt: for each year, the
// codes and names in use by result.csv must be exactly those of the list.
// It returns the spans of the wanted provinces and, per checked year, the
// number of codes of those provinces in the list.
func readAreacodes(dir string, wanted func(code string) bool) ([]span, map[int]int, error) {
	raw, err := readVerified(filepath.Join(dir, "result.csv"), resultSHA256)
	if err != nil {
		return nil, nil, err
	}
	raw = bytes.TrimPrefix(raw, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.FieldsPerRecord = 9
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("result.csv: %v", err)
	}
	if got := strings.Join(rows[0], ","); got != "代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码" {
		return nil, nil, fmt.Errorf("result.csv: unexpected header %q", got)
	}
	var spans []span
	for i, r := range rows[1:] {
		code, prov, pref, name, level, status := r[0], r[1], r[2], r[3], r[4], r[5]
		if !isCode(code) {
			return nil, nil, fmt.Errorf("result.csv row %d: bad code %q", i+2, code)
		}
		if !wanted(code) {
			continue
		}
		s := span{code: code, province: prov}
		switch level {
		case "省级":
			if prov != name {
				return nil, nil, fmt.Errorf("result.csv row %d: province %q named %q", i+2, prov, name)
			}
		case "地级":
			s.prefecture = name
		case "县级":
			s.county = name
			if pref != "直辖" {
				s.prefecture = pref
			}
		default:
			return nil, nil, fmt.Errorf("result.csv row %d: level %q", i+2, level)
		}
		if s.first, err = strconv.Atoi(r[6]); err != nil || s.first < firstListYear || s.first > newestListYear {
			return nil, nil, fmt.Errorf("result.csv row %d: start %q", i+2, r[6])
		}
		// The end year is exclusive: the first year-end list without the
		// code (under this name).
		switch {
		case r[7] == "" && status == "在用":
		case r[7] != "" && (status == "弃用" || status == "变更"):
			end, err := strconv.Atoi(r[7])
			if err != nil || end <= s.first || end > newestListYear {
				return nil, nil, fmt.Errorf("result.csv row %d: end %q", i+2, r[7])
			}
			s.last = end - 1
		default:
			return nil, nil, fmt.Errorf("result.csv row %d: status %q with end %q", i+2, status, r[7])
		}
		spans = append(spans, s)
	}

	totals := map[int]int{}
	for y := firstListYear; y <= newestListYear; y++ {
		raw, err := readVerified(filepath.Join(dir, "data", strconv.Itoa(y)+".txt"), yearSHA256[y])
		if err != nil {
			return nil, nil, err
		}
		list := map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
			code, name, ok := strings.Cut(line, " ")
			if !ok || !isCode(code) {
				return nil, nil, fmt.Errorf("data/%d.txt: bad line %q", y, line)
			}
			if wanted(code) {
				list[code] = name
			}
		}
		inUse := map[string]string{}
		for _, s := range spans {
			if s.first <= y && (s.last == 0 || y <= s.last) {
				if _, dup := inUse[s.code]; dup {
					return nil, nil, fmt.Errorf("result.csv: two spans of %s cover %d", s.code, y)
				}
				inUse[s.code] = s.ownName()
			}
		}
		for code, name := range list {
			if inUse[code] != name {
				return nil, nil, fmt.Errorf("%d: data/%d.txt lists %s %s, result.csv %q", y, y, code, name, inUse[code])
			}
		}
		if len(inUse) != len(list) {
			return nil, nil, fmt.Errorf("%d: result.csv has %d codes in use, data/%d.txt %d", y, len(inUse), y, len(list))
		}
		totals[y] = len(list)
	}
	return spans, totals, nil
}

// ownName is the name of the division the code itself denotes.
func (s span) ownName() string {
	switch {
	case s.county != "":
		return s.county
	case s.prefecture != "":
		return s.prefecture
	}
	return s.province
}

func isCode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := range 6 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
