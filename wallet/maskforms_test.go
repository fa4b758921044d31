package wallet

import (
	"bytes"
	"context"
	"encoding"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/verify"
)

const (
	decisionToken = "AQAAAAnZm9yZ2VkLWRlY2lzaW9uLXRva2Vu" // any text: requests never show it
	ticketRef     = "T-20261123-A12-07"
)

// TestMaskingEveryOutputForm prints one fixed person's wallet types through every output
// form and checks that no personal value appears, and that the masked form does.
func TestMaskingEveryOutputForm(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	e.link(t)
	hs, err := e.store.(*MemoryStore).Holders(ctx)
	if err != nil || len(hs) != 1 {
		t.Fatalf("Holders = %v, %v", hs, err)
	}
	plain, err := e.store.Load(ctx, hs[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(plain.Data, []byte(testName)) {
		t.Fatal("test data: the unsealed record must hold the name, or the test cannot fail")
	}
	sealed, _ := NewSealedStore(NewMemoryStore(), key1)
	if _, err := sealed.Save(ctx, StoredWallet{Holder: hs[0], Data: plain.Data}); err != nil {
		t.Fatal(err)
	}
	opened, err := sealed.Load(ctx, hs[0]) // a sealed store's Load gives Data in clear
	if err != nil {
		t.Fatal(err)
	}

	byKind := map[verify.CredentialKind]Credential{}
	for _, c := range fixture() {
		byKind[c.Kind] = c
	}
	id, hh, dl, vl := byKind[verify.KindIDCard], byKind[verify.KindHouseholdRegister], byKind[verify.KindDriverLicence], byKind[verify.KindVehicleLicence]
	values := []struct {
		name   string
		v      any
		masked string // a masked fragment every form shows
	}{
		{"Credential id card", id, "110105********"},
		{"*Credential id card", &id, "110105********"},
		{"Credential passport", byKind[verify.KindPassport], "E1*****78"},
		{"Credential household", hh, "*******21"},
		{"Credential driver", dl, "11********78"},
		{"Credential vehicle", vl, "京A***Z7"},
		{"Holder", id.Holder, "王**"},
		{"*Holder", &id.Holder, "王**"},
		{"HolderRef", ref, "110105********"},
		{"*HolderRef", &ref, "110105********"},
		{"LinkRequest", LinkRequest{Decision: decisionToken, Holder: ref}, "110105********"},
		{"*LinkRequest", &LinkRequest{Decision: decisionToken, Holder: ref}, "110105********"},
		{"PresentRequest", PresentRequest{Holder: ref, Handle: id.Handle, Purpose: qrtoken.PurposeStadiumGate(), EventID: 7,
			Ticket: ticketRef}, "110105********"},
		{"Household", *hh.Household, "*******21"},
		{"DriverLicence", *dl.Driver, "11********78"},
		{"VehicleLicence", *vl.Vehicle, testVIN[:11] + "******"},
		{"StoredWallet", plain, "bytes]"},
		{"StoredWallet from SealedStore.Load", opened, "bytes]"},
		{"*StoredWallet", &plain, "bytes]"},
	}
	type form struct {
		name string
		out  func(v any) string
	}
	logged := func(h func(*bytes.Buffer) slog.Handler) func(v any) string {
		return func(v any) string {
			var b bytes.Buffer
			slog.New(h(&b)).Info("m", "v", v)
			return b.String()
		}
	}
	forms := []form{{"slog text", logged(func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) })},
		{"slog JSON", logged(func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) })},
		{"json.Marshal", func(v any) string {
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("json.Marshal(%T): %v", v, err)
			}
			return string(b)
		}},
		{"json.Marshal in a host struct", func(v any) string {
			b, err := json.Marshal(struct{ V any }{v})
			if err != nil {
				t.Fatalf("json.Marshal(%T): %v", v, err)
			}
			return string(b)
		}},
		{"MarshalText", func(v any) string {
			m, ok := v.(encoding.TextMarshaler)
			if !ok {
				t.Fatalf("%T does not implement encoding.TextMarshaler", v)
			}
			b, err := m.MarshalText()
			if err != nil {
				t.Fatalf("MarshalText(%T): %v", v, err)
			}
			return string(b)
		}},
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%q", "%x", "%10.3v"} {
		forms = append(forms, form{verb, func(v any) string { return fmt.Sprintf(verb, v) }})
	}
	secrets := personal()
	secrets["latin surname"] = "XIAOMING"
	secrets["decision token"] = decisionToken[:12]
	secrets["ticket"] = ticketRef[:12]
	for _, val := range values {
		for _, f := range forms {
			out := f.out(val.v)
			for what, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("%s under %s shows the %s: %s", val.name, f.name, what, out)
				}
			}
			if !strings.Contains(out, val.masked) && f.name != "%x" && f.name != "%q" && f.name != "%10.3v" {
				t.Errorf("%s under %s = %s; want the masked form with %q", val.name, f.name, out, val.masked)
			}
		}
	}
}
