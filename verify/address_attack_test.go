package verify_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/trustid/trustid/verify"
)

// The registry's address of numZhangWei in testdata/registry.json.
const zhangWeiAddress = "北京市朝阳区建国路88号院3号楼2单元501室"

// candidateAddresses returns 4,096 plausible Beijing addresses, the registry's among them,
// rotated so that the registry's is at index pos.
func candidateAddresses(t *testing.T, pos int) []string {
	t.Helper()
	districts := []string{"朝阳区", "海淀区", "东城区", "西城区", "丰台区", "石景山区", "通州区", "顺义区"}
	roads := []string{"建国路", "长安街", "学院路", "中关村大街", "西直门外大街", "望京西路", "亮马桥路", "光华路"}
	var out []string
	for _, d := range districts {
		for _, r := range roads {
			for n := 60; n < 124; n++ {
				out = append(out, fmt.Sprintf("北京市%s%s%d号院3号楼2单元501室", d, r, n))
			}
		}
	}
	i := slices.Index(out, zhangWeiAddress)
	if len(out) != 4096 || i < 0 {
		t.Fatalf("%d candidates, registry address at %d", len(out), i)
	}
	out[0], out[i] = out[i], out[0]
	// Rotate the registry's address (now at 0) to pos.
	return append(out[len(out)-pos:], out[:len(out)-pos]...)
}

// addressOracle asks CheckDocument about a claimed address with the right number and
// name, and reports what the applicant sees: whether the check passed (the address was
// not flagged).
func addressOracle(t *testing.T, c *verify.Checker, address string) bool {
	t.Helper()
	res, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Address: address})
	if err != nil {
		t.Fatal(err)
	}
	return res.Outcome == verify.OutcomePass
}

// TestAddressOracleHalving: an attacker who knows the number and the name and has 4,096
// candidate addresses joins half of them into one claimed address and keeps the half the
// check accepts. Containment matching found the registry's address in 12 requests; now
// no concatenation is accepted, the search never narrows, and the final guess is right
// only at the blind rate (when the address happens to be the last candidate).
func TestAddressOracleHalving(t *testing.T) {
	c := newChecker(t, loadFixture(t), testNow, verify.Policy{})
	found := 0
	for pos := 0; pos < 4096; pos += 137 { // 30 positions, none the last
		cands := candidateAddresses(t, pos)
		for len(cands) > 1 {
			half := cands[:len(cands)/2]
			if addressOracle(t, c, strings.Join(half, "")) {
				cands = half
			} else {
				cands = cands[len(cands)/2:]
			}
		}
		if cands[0] == zhangWeiAddress {
			found++
		}
	}
	if found != 0 {
		t.Errorf("halving found the registry's address for %d of 30 positions, want 0 (blind rate)", found)
	}
}

// TestAddressOracleGroups is the halving attack kept within the address limit: groups of
// 8 candidates (about 500 bytes) joined in one claim, then halving inside the accepted
// group. No group is ever accepted, in either order of its members.
func TestAddressOracleGroups(t *testing.T) {
	c := newChecker(t, loadFixture(t), testNow, verify.Policy{})
	for _, pos := range []int{0, 1000, 2222, 4000} {
		cands := candidateAddresses(t, pos)
		accepted := 0
		for g := 0; g < len(cands); g += 8 {
			group := cands[g : g+8]
			if len(strings.Join(group, "")) > verify.MaxAddressBytes {
				t.Fatalf("group of %d bytes is over the limit", len(strings.Join(group, "")))
			}
			rev := slices.Clone(group)
			slices.Reverse(rev)
			if addressOracle(t, c, strings.Join(group, "")) || addressOracle(t, c, strings.Join(rev, "")) {
				accepted++
			}
		}
		if accepted != 0 {
			t.Errorf("position %d: %d groups of 8 accepted, want 0", pos, accepted)
		}
	}
}

// TestAddressPieceByPiece: an attacker who knows the start of the address extends it one
// character at a time, keeping the character the check accepts. Containment matching
// let it read the whole address; now no extension is accepted.
func TestAddressPieceByPiece(t *testing.T) {
	c := newChecker(t, loadFixture(t), testNow, verify.Policy{})
	alphabet := []rune("0123456789号院楼单元室路街区市建国朝阳北京东西南中关村大长安学光华望亮马桥")
	known := "北京市朝阳区"
	for step := 0; step < 30; step++ {
		extended := false
		for _, r := range alphabet {
			if addressOracle(t, c, known+string(r)) {
				known += string(r)
				extended = true
				break
			}
		}
		if !extended {
			break
		}
	}
	if known != "北京市朝阳区" {
		t.Errorf("piece-by-piece search learned %q of the address", known)
	}
	// The same from the end: a claim the record ends with is accepted only when what it
	// lacks is whole administrative divisions.
	for i, n := 0, len([]rune(zhangWeiAddress)); i < n; i++ {
		suffix := string([]rune(zhangWeiAddress)[i:])
		want := suffix == zhangWeiAddress || suffix == "朝阳区建国路88号院3号楼2单元501室" || suffix == "建国路88号院3号楼2单元501室"
		if got := addressOracle(t, c, suffix); got != want {
			t.Errorf("suffix %q accepted = %t, want %t", suffix, got, want)
		}
	}
}

// TestMatchAddressSubstrings: no part of the recorded address matches, except the
// recorded address without its leading province and district.
func TestMatchAddressSubstrings(t *testing.T) {
	rs := []rune(zhangWeiAddress)
	allowed := map[string]bool{zhangWeiAddress: true, "朝阳区建国路88号院3号楼2单元501室": true, "建国路88号院3号楼2单元501室": true}
	for i := range rs {
		for j := i + 1; j <= len(rs); j++ {
			sub := string(rs[i:j])
			got := verify.MatchAddress(sub, zhangWeiAddress)
			if want := allowed[sub]; (got != verify.FieldMismatch) != want {
				t.Errorf("MatchAddress(%q, record) = %v", sub, got)
			}
		}
	}
}

// TestGenericFlatNeedsReview: a generic flat designation that ends many addresses is not
// a lenient match, so the default policy sends it to review.
func TestGenericFlatNeedsReview(t *testing.T) {
	c := newChecker(t, loadFixture(t), testNow, verify.Policy{})
	res, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Address: "3号楼2单元501室"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != verify.OutcomeReview || !res.Has(verify.ReasonAddressMismatch) {
		t.Errorf("CheckDocument(generic flat) = %v, want review with address_mismatch", res)
	}
	for _, rec := range []string{
		"北京市朝阳区万科城北区3号楼2单元501室",     // a compound named like a district: two county-level parts
		"广东省广州市天河区阳光花园北区3号楼2单元501室", // four parts, one with 园
		"上海市浦东新区张江镇3号楼2单元501室",      // a town is below the county
	} {
		if got := verify.MatchAddress("3号楼2单元501室", rec); got != verify.FieldMismatch {
			t.Errorf("MatchAddress(generic flat, %q) = %v, want mismatch", rec, got)
		}
	}
}

// TestMatchAddressAdministrativeDivisions: dropping or adding whole leading divisions.
func TestMatchAddressAdministrativeDivisions(t *testing.T) {
	tests := []struct {
		claimed, recorded string
		want              verify.FieldResult
	}{
		{"乌鲁木齐市天山区解放南路100号", "新疆维吾尔自治区乌鲁木齐市天山区解放南路100号", verify.FieldLenientMatch},
		{"天山区解放南路100号", "新疆维吾尔自治区乌鲁木齐市天山区解放南路100号", verify.FieldLenientMatch},
		{"解放南路100号", "新疆维吾尔自治区乌鲁木齐市天山区解放南路100号", verify.FieldLenientMatch},
		{"新疆乌鲁木齐市天山区解放南路100号", "乌鲁木齐市天山区解放南路100号", verify.FieldLenientMatch}, // the claim adds the province
		{"广东省广州市天河区体育西路1号", "天河区体育西路1号", verify.FieldLenientMatch},
		{"湖北省仙桃市沔阳大道1号", "仙桃市沔阳大道1号", verify.FieldLenientMatch},
		{"100号", "新疆维吾尔自治区乌鲁木齐市天山区解放南路100号", verify.FieldMismatch},
		{"南路100号", "新疆维吾尔自治区乌鲁木齐市天山区解放南路100号", verify.FieldMismatch},
		{"天山区解放南路100号天山区解放南路100号", "天山区解放南路100号", verify.FieldMismatch},
		{"上海市徐汇区漕溪北路200弄5号天山区解放南路100号", "天山区解放南路100号", verify.FieldMismatch},
	}
	for _, tt := range tests {
		if got := verify.MatchAddress(tt.claimed, tt.recorded); got != tt.want {
			t.Errorf("MatchAddress(%q, %q) = %v, want %v", tt.claimed, tt.recorded, got, tt.want)
		}
	}
}
