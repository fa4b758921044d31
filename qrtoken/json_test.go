package qrtoken

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/trustid/trustid/verify/idcard"
)

// TestClaimsJSONMasked checks that claims reaching encoding/json or another reflection
// encoder, alone or inside an Opened or a host's own struct, come out masked: the
// exported fields would otherwise be written in clear.
func TestClaimsJSONMasked(t *testing.T) {
	c := Claims{Name: "张三丰", IDNumber: exampleID, Address: "北京市朝阳区建国路88号", Ticket: "ORDER-12345678",
		BirthDate: time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), Gender: idcard.Male, EventID: 7,
		AgeOver: []AgeOver{{18, true}}}
	type hostRecord struct {
		Holder Claims
		Ptr    *Claims
	}
	var outputs []string
	for _, v := range []any{c, &c, Opened{Claims: c}, &Opened{Claims: c}, hostRecord{c, &c}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("json.Marshal(%T): %v", v, err)
		}
		outputs = append(outputs, string(b))
	}
	x, err := xml.Marshal(hostRecord{c, &c})
	if err != nil {
		t.Fatalf("xml.Marshal: %v", err)
	}
	outputs = append(outputs, string(x))
	for _, out := range outputs {
		for _, secret := range []string{exampleID, "张三丰", "三丰", "建国路", "1949", "12345678"} {
			if strings.Contains(out, secret) {
				t.Errorf("output %s contains %q", out, secret)
			}
		}
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"张**","id_number":"110105********002X","birth_date":"****-**-**","gender":"male","address":"[12 chars]","event_id":7,"ticket":"**********5678","age_over":{"18":true}}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("json.Marshal(claims) mismatch (-want +got):\n%s", diff)
	}
}
