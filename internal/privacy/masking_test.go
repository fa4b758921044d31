package privacy_test

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/trustid/trustid/internal/privacy"
	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
	"github.com/trustid/trustid/verify/review"
	"github.com/trustid/trustid/wallet"
)

// The fixed person. Every value is made up; the number is valid (GB 11643 check
// character) so that types which parse it accept it.
const (
	personName    = "张伟"
	personLatin   = "ZHANG WEI"
	personNumber  = "110105199003071239"
	personAddress = "北京市朝阳区建国路88号院3号楼2单元501室"
	personPhoto   = "photo-ref-zhangwei-0307"
	personSubject = "subject-zhangwei-7f3a9c"
)

const (
	personHousehold = "110105123456"
	personVIN       = "LSVAU2180N2183294"
	personPlate     = "京A12345"
)

var secrets = []string{personName, personLatin, personNumber, personAddress, personPhoto, personSubject,
	personHousehold, personVIN, personPlate}

var (
	fact     = quiz.Fact{Category: quiz.CategoryVehiclePlate, Value: personPlate}
	option   = quiz.Option{ID: "o1", Text: personAddress}
	question = quiz.Question{ID: "q1", Category: quiz.CategoryPreviousAddress, Prompt: "Which address?", Options: []quiz.Option{option}}
	claims   = qrtoken.Claims{Name: personName, IDNumber: personNumber, Address: personAddress, Ticket: personPlate}
	holder   = wallet.Holder{Name: personName, LatinName: personLatin, Address: personAddress}
	identity = review.Identity{Name: personName, Number: personNumber}
	material = review.Material{Kind: "id-card-front", Ref: "uploads/" + personName + "-" + personNumber + ".jpg",
		Digest: review.Digest{1}}
)

// samples holds one value, filled with the fixed person, of every type the scan finds.
// A type the scan finds and this map lacks fails TestEveryPersonalTypeIsChecked.
func samples(t *testing.T) map[string]any {
	return map[string]any{
		"verify.Claim": verify.Claim{Kind: verify.KindIDCard, Number: personNumber, Name: personName,
			LatinName: personLatin, Gender: idcard.Male, Address: personAddress},
		"verify.Record": verify.Record{Kind: verify.KindIDCard, Number: personNumber, Name: personName, LatinName: personLatin,
			Address: personAddress, PhotoRef: personPhoto},
		"verify.DocumentResult":  &verify.DocumentResult{Kind: verify.KindIDCard, Subject: personSubject, PhotoRef: personPhoto},
		"verify.Decision":        verify.Decision{Kind: verify.KindIDCard, Subject: personSubject},
		"verify.FraudInput":      verify.FraudInput{Subject: personSubject, Device: "device-1"},
		"liveness.BeginRequest":  liveness.BeginRequest{Subject: personSubject, Device: "device-1", Reference: personPhoto},
		"liveness.Observation":   liveness.Observation{Subject: personSubject},
		"liveness.Consent":       liveness.Consent{Subject: personSubject, Purpose: liveness.PurposeBiometric},
		"liveness.Audit":         liveness.Audit{Subject: personSubject},
		"liveness.Result":        &liveness.Result{Audit: liveness.Audit{Subject: personSubject}},
		"liveness.Challenge":     &liveness.Challenge{Subject: personSubject, Token: "tok"},
		"liveness.FinishRequest": liveness.FinishRequest{Token: "tok", Probe: personPhoto},

		"quiz.BeginRequest": quiz.BeginRequest{Subject: personSubject, Device: "device-1", Facts: []quiz.Fact{fact}},
		"quiz.Fact":         fact,
		"quiz.Option":       option,
		"quiz.Question":     question,
		"quiz.Challenge":    &quiz.Challenge{Token: "tok", Questions: []quiz.Question{question}},

		"qrtoken.Claims": claims,
		"qrtoken.Opened": &qrtoken.Opened{Claims: claims},

		"wallet.Holder":      holder,
		"wallet.HolderRef":   wallet.HolderRef{IDNumber: personNumber},
		"wallet.LinkRequest": wallet.LinkRequest{Decision: personSubject, Holder: wallet.HolderRef{IDNumber: personNumber}},
		"wallet.PresentRequest": wallet.PresentRequest{Holder: wallet.HolderRef{IDNumber: personNumber}, Handle: wallet.Handle(personSubject),
			Purpose: qrtoken.PurposeStadiumGate(), EventID: 7, Ticket: personPlate},
		"wallet.Household":      &wallet.Household{Number: personHousehold, Relation: "户主"},
		"wallet.VehicleLicence": &wallet.VehicleLicence{VIN: personVIN, Type: "小型轿车"},
		"wallet.Credential": wallet.Credential{Kind: verify.KindIDCard, Number: personNumber, Holder: holder,
			Household: &wallet.Household{Number: personHousehold, Relation: "户主"}, Vehicle: &wallet.VehicleLicence{VIN: personVIN}},
		"wallet.StoredWallet": wallet.StoredWallet{Holder: personSubject, Data: []byte(`{"name":"` + personName + `","number":"` + personNumber + `"}`)},

		"relyingparty.Identity":      relyingparty.Identity{Name: personName, IDNumber: personNumber},
		"relyingparty.ConsentRecord": relyingparty.ConsentRecord{ID: "c-1", Subject: personSubject, ClientID: "bank"},

		"review.Identity":    identity,
		"review.Material":    material,
		"review.Application": review.Application{Applicant: "acct-42", Claimed: identity, Materials: []review.Material{material}},
		"review.Case": &review.Case{ID: "rv-1", Application: review.Application{Applicant: "acct-42", Claimed: identity,
			Materials: []review.Material{material}}},
	}
}

// exempt lists, per type, the outputs that are a documented data format rather than
// output, with the reason a reviewer accepted. Every other output of the type is checked.
// Keep it short.
var exempt = map[string]map[string]string{
	"verify.Record": {"json": "the registry's record: its JSON is the load format of verify.LoadRegistry " +
		"(a host's registry data, not output)"},
	"review.Identity": {"json": "the Store format a host's review.Store adapter writes (review's doc: encrypt at rest)"},
	"review.Material": {"json": "the Store format a host's review.Store adapter writes (Application.Materials; " +
		"review's doc: encrypt at rest); String, Format and LogValue mask the Ref"},
	"review.Application": {"json": "the Store format a host's review.Store adapter writes"},
	"review.Case":        {"json": "the Store format a host's review.Store adapter writes"},
}

// isExempt reports whether output k of type name is exempt; pointer and value forms
// ("*json", "&json") share the exemption.
func isExempt(name, k string) bool {
	_, ok := exempt[name][strings.TrimLeft(k, "*&")]
	return ok
}

// outputs renders v every way a host might print, log or encode it.
func outputs(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%q", "%x", "%X", "%+q"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var b bytes.Buffer
		slog.New(h(&b)).Info("m", "v", v)
		out[name] = b.String()
	}
	if b, err := json.Marshal(v); err == nil {
		out["json"] = string(b)
	} else {
		out["json"] = "error: " + err.Error()
	}
	if m, ok := v.(encoding.TextMarshaler); ok {
		b, err := m.MarshalText()
		out["MarshalText"] = string(b) + fmt.Sprint(err)
	}
	return out
}

func TestPersonalDataMaskedEverywhere(t *testing.T) {
	for name, v := range samples(t) {
		t.Run(name, func(t *testing.T) {
			outs := outputs(v)
			// A pointer sample is checked as a value too, and a value as a pointer: %v of
			// either must mask.
			rv := reflect.ValueOf(v)
			if rv.Kind() == reflect.Pointer {
				for k, o := range outputs(rv.Elem().Interface()) {
					outs["*"+k] = o
				}
			} else {
				p := reflect.New(rv.Type())
				p.Elem().Set(rv)
				for k, o := range outputs(p.Interface()) {
					outs["&"+k] = o
				}
			}
			keys := make([]string, 0, len(outs))
			for k := range outs {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if isExempt(name, k) {
					continue
				}
				if leaks := privacy.Leaks(outs[k], secrets...); len(leaks) > 0 {
					t.Errorf("%s leaks %q: %s", k, leaks, outs[k])
				}
			}
		})
	}
}

func TestEveryPersonalTypeIsChecked(t *testing.T) {
	s := samples(t)
	found := scanTypes(t)
	var missing []string
	for name, fields := range found {
		if _, sampled := s[name]; !sampled {
			missing = append(missing, fmt.Sprintf("%s %v", name, fields))
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("%s holds personal data but has no sample in samples()", m)
	}
	for name := range s {
		if _, ok := found[name]; !ok {
			t.Errorf("samples() lists %s, which the scan does not find: remove it or fix the scan", name)
		}
	}
}
