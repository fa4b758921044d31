package verify

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/trustid/trustid/internal/mask"
)

// Format writes the one-line summary for every verb and the masked Go form for %#v.
func (d Decision) Format(f fmt.State, verb rune) { mask.Format(f, verb, d.String(), d.GoString()) }

// ClientReason is one reason of a decision as the applicant's device may show it.
type ClientReason struct {
	Code string `json:"code"`
	ZH   string `json:"zh"`
	EN   string `json:"en"`
}

// ClientDecision is the decision summary a host may send to the applicant's device: the
// outcome, the levels and every reason with its message. It holds no subject binding and
// no personal data (a rejected applicant is always told why, never what the record says).
type ClientDecision struct {
	Outcome   Outcome        `json:"outcome"`
	Level     Level          `json:"level"`
	Required  Level          `json:"required"`
	Reasons   []ClientReason `json:"reasons"`
	DecidedAt time.Time      `json:"decided_at"`
}

// Client returns the client-facing summary of d.
func (d Decision) Client() ClientDecision {
	c := ClientDecision{Outcome: d.Outcome, Level: d.Level, Required: d.Required, DecidedAt: d.DecidedAt,
		Reasons: make([]ClientReason, len(d.Reasons))}
	for i, r := range d.Reasons {
		c.Reasons[i] = ClientReason{Code: string(r), ZH: r.Message("zh"), EN: r.Message("en")}
	}
	return c
}

// MarshalJSON writes the client summary ([Decision.Client]): no subject binding.
func (d Decision) MarshalJSON() ([]byte, error) { return json.Marshal(d.Client()) }

// MarshalJSON writes the summary of String as a JSON string: no subject binding, no photo
// reference.
func (r DocumentResult) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }
