// Command fixturegen writes verify/testdata/registry.json, the synthetic registry used by
// the tests and examples of package verify:
//
//	go run ./verify/internal/fixturegen -o verify/testdata/registry.json
//
// Every person is invented. Resident ID numbers are built by hand from a real county
// code (GB/T 2260), the birth date and a sequence code chosen for the gender (odd: male),
// and completed with the ISO 7064 MOD 11-2 check character computed by
// idcard.CheckChar; the foreign permanent resident number comes from idcard.Generate
// with a fixed byte stream. Every number is then parsed with idcard.Parse (or
// docnum.Validate for other kinds), so the fixture cannot hold a malformed number.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/docnum"
	"github.com/trustid/trustid/verify/idcard"
)

// resident returns the 18-character number for a county code, birth date and
// three-digit sequence code.
func resident(region, birth, seq string) string {
	first17 := region + birth + seq
	c, err := idcard.CheckChar(first17)
	if err != nil {
		log.Fatalf("CheckChar(%s): %v", first17, err)
	}
	return first17 + string(c)
}

func date(s string) verify.Date {
	d, err := verify.ParseDate(s)
	if err != nil {
		log.Fatal(err)
	}
	return d
}

func main() {
	out := flag.String("o", "verify/testdata/registry.json", "output file")
	flag.Parse()

	// A fixed byte stream makes idcard.Generate reproducible.
	foreign, err := idcard.Generate(bytes.NewReader(bytes.Repeat([]byte{7, 3, 1, 9, 4, 2}, 64)), idcard.GenOptions{
		Kind: idcard.ForeignPermanentResident, Region: "110000", Nationality: "276",
		Birth: time.Date(1985, 4, 20, 0, 0, 0, 0, time.UTC), Gender: idcard.Female,
	})
	if err != nil {
		log.Fatal(err)
	}

	recs := []verify.Record{
		{Kind: verify.KindIDCard, Number: resident("110105", "19900307", "123"), Name: "张伟",
			Gender: idcard.Male, BirthDate: date("1990-03-07"), Ethnicity: "汉",
			Address: "北京市朝阳区建国路88号院3号楼2单元501室", Authority: "北京市公安局朝阳分局",
			ValidFrom: date("2015-03-07"), ValidUntil: date("2035-03-07"),
			Status: verify.StatusValid, PhotoRef: "photo/zhang-wei.jpg"},
		{Kind: verify.KindIDCard, Number: resident("650102", "19950612", "002"), Name: "阿依古丽·买买提",
			Gender: idcard.Female, BirthDate: date("1995-06-12"), Ethnicity: "维吾尔",
			Address: "新疆乌鲁木齐市天山区解放南路100号", Authority: "乌鲁木齐市公安局天山区分局",
			ValidFrom: date("2016-06-12"), ValidUntil: date("2036-06-12"),
			Status: verify.StatusValid, PhotoRef: "photo/ayguli.jpg"},
		{Kind: verify.KindIDCard, Number: resident("440305", "19881120", "045"), Name: "王𠮷",
			Gender: idcard.Male, BirthDate: date("1988-11-20"), Ethnicity: "汉",
			Address: "广东省深圳市南山区科技园南路1号", Authority: "深圳市公安局南山分局",
			ValidFrom: date("2018-11-20"), ValidUntil: date("2038-11-20"),
			Status: verify.StatusValid, PhotoRef: "photo/wang-ji.jpg"},
		{Kind: verify.KindIDCard, Number: resident("310104", "19500101", "022"), Name: "李秀英",
			Gender: idcard.Female, BirthDate: date("1950-01-01"), Ethnicity: "汉",
			Address: "上海市徐汇区漕溪北路200弄5号", Authority: "上海市公安局徐汇分局",
			ValidFrom: date("2010-01-01"), LongTerm: true,
			Status: verify.StatusValid, PhotoRef: "photo/li-xiuying.jpg"},
		{Kind: verify.KindIDCard, Number: resident("510107", "19851010", "011"), Name: "赵磊",
			Gender: idcard.Male, BirthDate: date("1985-10-10"), Ethnicity: "汉",
			Address: "四川省成都市武侯区人民南路四段9号", Authority: "成都市公安局武侯区分局",
			ValidFrom: date("2012-10-10"), ValidUntil: date("2032-10-10"),
			Status: verify.StatusRevoked, PhotoRef: "photo/zhao-lei.jpg"},
		{Kind: verify.KindIDCard, Number: resident("330106", "19920202", "008"), Name: "陈静",
			Gender: idcard.Female, BirthDate: date("1992-02-02"), Ethnicity: "汉",
			Address: "浙江省杭州市西湖区文三路90号", Authority: "杭州市公安局西湖区分局",
			ValidFrom: date("2019-02-02"), ValidUntil: date("2039-02-02"),
			Status: verify.StatusReportedLost, PhotoRef: "photo/chen-jing.jpg"},
		{Kind: verify.KindIDCard, Number: resident("110105", "19800515", "031"), Name: "刘洋",
			Gender: idcard.Male, BirthDate: date("1980-05-15"), Ethnicity: "汉",
			Address: "北京市朝阳区光华路7号", Authority: "北京市公安局朝阳分局",
			ValidFrom: date("2005-05-15"), ValidUntil: date("2025-05-15"),
			Status: verify.StatusValid, PhotoRef: "photo/liu-yang.jpg"},
		{Kind: verify.KindIDCard, Number: resident("310104", "20000808", "026"), Name: "周敏",
			Gender: idcard.Female, BirthDate: date("2000-08-08"), Ethnicity: "汉",
			Address: "上海市徐汇区天钥桥路30号", Authority: "上海市公安局徐汇分局",
			ValidFrom: date("2027-01-01"), ValidUntil: date("2037-01-01"),
			Status: verify.StatusValid, PhotoRef: "photo/zhou-min.jpg"},
		// 孙建国 still holds the record of his 18-digit number; his first-generation card
		// carried the 15-digit form 110105491231003.
		{Kind: verify.KindIDCard, Number: resident("110105", "19491231", "003"), Name: "孙建国",
			Gender: idcard.Male, BirthDate: date("1949-12-31"), Ethnicity: "汉",
			Address: "北京市朝阳区朝阳门外大街1号", Authority: "北京市公安局朝阳分局",
			ValidFrom: date("2006-01-01"), LongTerm: true,
			Status: verify.StatusValid},
		{Kind: verify.KindIDCard, Number: foreign, Name: "安娜·穆勒", LatinName: "MÜLLER ANNA",
			Gender: idcard.Female, BirthDate: date("1985-04-20"), Nationality: "DEU",
			Address: "北京市朝阳区亮马桥路50号", Authority: "国家移民管理局",
			ValidFrom: date("2024-01-15"), ValidUntil: date("2034-01-15"),
			Status: verify.StatusValid, PhotoRef: "photo/anna-mueller.jpg"},
		{Kind: verify.KindPassport, Number: "E12345678", Name: "吕小红", LatinName: "LYU XIAOHONG",
			Gender: idcard.Female, BirthDate: date("1993-07-01"), Nationality: "CHN",
			Authority: "国家移民管理局",
			ValidFrom: date("2021-07-01"), ValidUntil: date("2031-06-30"),
			Status: verify.StatusValid, PhotoRef: "photo/lyu-xiaohong.jpg"},
	}

	ref := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, r := range recs {
		switch r.Kind {
		case verify.KindIDCard:
			if _, err := idcard.Parse(r.Number, ref); err != nil {
				log.Fatalf("%v: %v", r, err)
			}
		case verify.KindPassport:
			if err := docnum.Validate(docnum.FormatPassport, r.Number); err != nil {
				log.Fatalf("%v: %v", r, err)
			}
		}
	}
	b, err := json.MarshalIndent(recs, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "wrote %d records to %s\n", len(recs), *out)
}
