package liveness

import (
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/trustid/trustid/internal/mask"
)

// Every type of the package that holds a subject, a device, a photo reference or a token
// masks it in every output: String, GoString, every fmt verb, log/slog and encoding/json.
// The JSON of a Challenge and a Result is their client view (what the applicant's device
// may see); the JSON of the others is their masked summary.

// GoString returns the masked form, so that %#v shows no binding and no token.
func (c Challenge) GoString() string { return "liveness." + c.String() }

// Format writes the masked form for every verb.
func (c Challenge) Format(f fmt.State, verb rune) { mask.Format(f, verb, c.String(), c.GoString()) }

// MarshalJSON writes the client view ([Challenge.Client]): session ID, prompts and
// deadlines, expiry. No token, no binding, no timing rule.
func (c Challenge) MarshalJSON() ([]byte, error) { return json.Marshal(c.Client()) }

// GoString returns the masked form.
func (r Result) GoString() string { return "liveness." + r.String() }

// Format writes the masked form for every verb.
func (r Result) Format(f fmt.State, verb rune) { mask.Format(f, verb, r.String(), r.GoString()) }

// MarshalJSON writes the client view ([Result.Client]): the outcome only.
func (r Result) MarshalJSON() ([]byte, error) { return json.Marshal(r.Client()) }

// GoString returns the masked form.
func (a Audit) GoString() string { return a.String() }

// Format writes the masked form for every verb.
func (a Audit) Format(f fmt.State, verb rune) { mask.Format(f, verb, a.String(), a.GoString()) }

// MarshalJSON writes the masked summary as a JSON string. The host's audit trail reads the
// fields; it does not need the library to encode them.
func (a Audit) MarshalJSON() ([]byte, error) { return json.Marshal(a.String()) }

// GoString returns the masked form.
func (o Observation) GoString() string { return "liveness.Observation" + o.String() }

// Format writes the masked form for every verb.
func (o Observation) Format(f fmt.State, verb rune) { mask.Format(f, verb, o.String(), o.GoString()) }

// MarshalJSON writes the masked summary as a JSON string.
func (o Observation) MarshalJSON() ([]byte, error) { return json.Marshal(o.String()) }

// String masks the bindings and the reference.
func (r BeginRequest) String() string {
	return fmt.Sprintf("{subject=%s device=%s reference=%s}", maskID(r.Subject), maskID(r.Device), r.Reference)
}

// GoString returns the masked form.
func (r BeginRequest) GoString() string { return "liveness.BeginRequest" + r.String() }

// Format writes the masked form for every verb.
func (r BeginRequest) Format(f fmt.State, verb rune) { mask.Format(f, verb, r.String(), r.GoString()) }

// LogValue masks the bindings and the reference.
func (r BeginRequest) LogValue() slog.Value { return slog.StringValue(r.String()) }

// MarshalJSON writes the masked summary as a JSON string.
func (r BeginRequest) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// String hides the token and masks the probe reference.
func (r FinishRequest) String() string {
	score := "none"
	if r.Score != nil {
		score = fmt.Sprintf("%.4f %s/%s", r.Score.Value, r.Score.Backend, r.Score.ModelVersion)
	}
	return fmt.Sprintf("{token=[redacted] observations=%d probe=%s score=%s}", len(r.Observations), r.Probe, score)
}

// GoString returns the masked form.
func (r FinishRequest) GoString() string { return "liveness.FinishRequest" + r.String() }

// Format writes the masked form for every verb.
func (r FinishRequest) Format(f fmt.State, verb rune) { mask.Format(f, verb, r.String(), r.GoString()) }

// LogValue hides the token and masks the probe reference.
func (r FinishRequest) LogValue() slog.Value { return slog.StringValue(r.String()) }

// MarshalJSON writes the masked summary as a JSON string.
func (r FinishRequest) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// GoString returns the masked form.
func (c Consent) GoString() string { return c.String() }

// Format writes the masked form for every verb.
func (c Consent) Format(f fmt.State, verb rune) { mask.Format(f, verb, c.String(), c.GoString()) }

// MarshalJSON writes the masked summary as a JSON string.
func (c Consent) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// GoString returns the masked reference.
func (p PhotoRef) GoString() string { return "liveness.PhotoRef(" + p.String() + ")" }

// Format writes the masked reference for every verb.
func (p PhotoRef) Format(f fmt.State, verb rune) { mask.Format(f, verb, p.String(), p.GoString()) }

// LogValue logs the masked reference.
func (p PhotoRef) LogValue() slog.Value { return slog.StringValue(p.String()) }

// MarshalJSON writes the masked reference: a photo reference often names the person
// (a path holding the ID number).
func (p PhotoRef) MarshalJSON() ([]byte, error) { return json.Marshal(p.String()) }

// GoString returns the masked reference.
func (p ProbeRef) GoString() string { return "liveness.ProbeRef(" + p.String() + ")" }

// Format writes the masked reference for every verb.
func (p ProbeRef) Format(f fmt.State, verb rune) { mask.Format(f, verb, p.String(), p.GoString()) }

// LogValue logs the masked reference.
func (p ProbeRef) LogValue() slog.Value { return slog.StringValue(p.String()) }

// MarshalJSON writes the masked reference.
func (p ProbeRef) MarshalJSON() ([]byte, error) { return json.Marshal(p.String()) }
