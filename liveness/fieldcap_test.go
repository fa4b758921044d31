package liveness_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/trustid/trustid/liveness"
)

// TestFinishRefusesOversizedFields: the counts of a FinishRequest were capped but not the
// size of each field, so a 10 MiB session ID in one capture envelope was hashed, and a
// 10 MiB action kept in the audit, before anything was compared. Every field is capped
// before the token is opened.
func TestFinishRefusesOversizedFields(t *testing.T) {
	e := newEnv(t, nil)
	big := strings.Repeat("A", 10<<20)
	for name, req := range map[string]liveness.FinishRequest{
		"observation action":  {Token: "t", Observations: []liveness.Observation{{Action: liveness.Action(big)}}},
		"observation session": {Token: "t", Observations: []liveness.Observation{{Session: big}}},
		"observation subject": {Token: "t", Observations: []liveness.Observation{{Subject: big}}},
		"envelope session":    {Token: "t", Capture: []liveness.CaptureEnvelope{{SessionID: big}}},
		"envelope signature":  {Token: "t", Capture: []liveness.CaptureEnvelope{{Signature: []byte(big)}}},
	} {
		allocs := testing.AllocsPerRun(5, func() {
			if _, err := e.c.Finish(t.Context(), req); !errors.Is(err, liveness.ErrInvalidArgument) {
				t.Fatalf("%s: Finish = %v, want ErrInvalidArgument", name, err)
			}
		})
		if allocs > 2 {
			t.Errorf("%s: refusing allocates %v times, want at most 2", name, allocs)
		}
	}
}

// TestReferencesMasked: a photo or probe reference often names the person (a path with
// the ID number); %#v and encoding/json printed it whole.
func TestReferencesMasked(t *testing.T) {
	const secret = "110105199003071239"
	p, q := liveness.PhotoRef("s3://photos/"+secret+".jpg"), liveness.ProbeRef("frames/"+secret)
	for _, v := range []any{p, q, &p} {
		j, _ := json.Marshal(v)
		for _, out := range []string{fmt.Sprintf("%v %+v %#v %s %q %x", v, v, v, v, v, v), string(j)} {
			if strings.Contains(out, secret) || strings.Contains(out, fmt.Sprintf("%x", secret)) {
				t.Errorf("%T printed whole: %s", v, out)
			}
		}
	}
}
