package wallet

import (
	"bytes"
	"encoding/json"
	"io"
	"time"

	"github.com/trustid/trustid/verify"
)

// stateFormat is the version of the encoded wallet (StoredWallet.Data before sealing).
const stateFormat = 1

// maxStateBytes bounds the encoded wallet the wallet saves: 960 KiB, so that the sealed
// record (the encoded wallet, the holder key and internal/seal's framing, at most
// 1 MiB) always fits what internal/seal accepts and every saved record loads again. A
// change that would encode larger is refused with ErrRecordTooLarge.
const maxStateBytes = 960 << 10

// maxDecodeBytes bounds an encoded wallet the decoder reads, so that a corrupt or hostile
// record cannot make it allocate without limit. It is larger than maxStateBytes so that
// an unsealed record written before the save limit existed still loads (and shrinks as
// its presentations expire).
const maxDecodeBytes = 16 << 20

// state is one holder's wallet: every credential ever linked (current and historical),
// the history, the presentations whose codes may still be shown and the decisions that
// linked and are still within their validity.
type state struct {
	Format        int            `json:"format"`
	Credentials   []Credential   `json:"credentials"`
	History       []HistoryEntry `json:"history"`
	Presentations []presentation `json:"presentations,omitempty"`
	Decisions     []usedDecision `json:"decisions,omitempty"`
}

// usedDecision remembers a decision that linked, by an HMAC of its check ID and decision
// time, until its ValidUntil: from then on the decision no longer opens, so it can no
// longer be replayed either.
type usedDecision struct {
	Key   string    `json:"key"`
	Until time.Time `json:"until"`
}

// presentation remembers an issued code by an HMAC of its text, so that a reader's
// online status check can find the credential behind it.
type presentation struct {
	Key     string    `json:"key"`
	Handle  Handle    `json:"handle"`
	Purpose string    `json:"purpose"`
	Expires time.Time `json:"expires"`
}

// stateWire is the encoded form of a state. Credentials are encoded through their
// wire types: the exported types marshal masked (they are meant for output, not storage).
type stateWire struct {
	Format        int              `json:"format"`
	Credentials   []credentialWire `json:"credentials"`
	History       []HistoryEntry   `json:"history"`
	Presentations []presentation   `json:"presentations,omitempty"`
	Decisions     []usedDecision   `json:"decisions,omitempty"`
}

// credentialWire is a Credential as the encoded wallet holds it, in clear.
type credentialWire struct {
	Kind         verify.CredentialKind `json:"kind"`
	Number       string                `json:"number"`
	Holder       holderWire            `json:"holder"`
	Authority    string                `json:"authority,omitempty"`
	ValidFrom    verify.Date           `json:"valid_from"`
	ValidUntil   verify.Date           `json:"valid_until"`
	LongTerm     bool                  `json:"long_term,omitempty"`
	Status       Status                `json:"status"`
	Level        verify.Level          `json:"level"`
	Source       string                `json:"source,omitempty"`
	Household    *householdWire        `json:"household,omitempty"`
	Driver       *driverWire           `json:"driver,omitempty"`
	Vehicle      *vehicleWire          `json:"vehicle,omitempty"`
	Handle       Handle                `json:"handle"`
	LinkedAt     time.Time             `json:"linked_at"`
	UpdatedAt    time.Time             `json:"updated_at"`
	SupersededBy Handle                `json:"superseded_by,omitempty"`
}

// The wire types have the fields (and JSON names) of their exported types without their
// masking methods.
type (
	holderWire    Holder
	householdWire Household
	driverWire    DriverLicence
	vehicleWire   VehicleLicence
)

func toWire(c *Credential) credentialWire {
	return credentialWire{Kind: c.Kind, Number: c.Number, Holder: holderWire(c.Holder), Authority: c.Authority,
		ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil, LongTerm: c.LongTerm, Status: c.Status, Level: c.Level,
		Source: c.Source, Household: (*householdWire)(c.Household), Driver: (*driverWire)(c.Driver),
		Vehicle: (*vehicleWire)(c.Vehicle), Handle: c.Handle, LinkedAt: c.LinkedAt, UpdatedAt: c.UpdatedAt,
		SupersededBy: c.SupersededBy}
}

func fromWire(w *credentialWire) Credential {
	return Credential{Kind: w.Kind, Number: w.Number, Holder: Holder(w.Holder), Authority: w.Authority,
		ValidFrom: w.ValidFrom, ValidUntil: w.ValidUntil, LongTerm: w.LongTerm, Status: w.Status, Level: w.Level,
		Source: w.Source, Household: (*Household)(w.Household), Driver: (*DriverLicence)(w.Driver),
		Vehicle: (*VehicleLicence)(w.Vehicle), Handle: w.Handle, LinkedAt: w.LinkedAt, UpdatedAt: w.UpdatedAt,
		SupersededBy: w.SupersededBy}
}

func (st *state) encode() ([]byte, error) {
	st.Format = stateFormat
	w := stateWire{Format: st.Format, Credentials: make([]credentialWire, len(st.Credentials)),
		History: st.History, Presentations: st.Presentations, Decisions: st.Decisions}
	for i := range st.Credentials {
		w.Credentials[i] = toWire(&st.Credentials[i])
	}
	return json.Marshal(w)
}

// index returns the lookup keys of the wallet: every credential handle and every live
// presentation key.
func (st *state) index() []string {
	keys := make([]string, 0, len(st.Credentials)+len(st.Presentations))
	for _, c := range st.Credentials {
		keys = append(keys, credentialIndexKey(c.Handle))
	}
	for _, p := range st.Presentations {
		keys = append(keys, presentationIndexKey(p.Key))
	}
	return keys
}

func credentialIndexKey(h Handle) string   { return "c:" + string(h) }
func presentationIndexKey(k string) string { return "p:" + k }

// decodeState decodes an encoded wallet and checks its structure. Every failure is an
// *Error matching ErrCorrupt; the decoder never panics (see FuzzDecodeState).
func decodeState(b []byte) (*state, error) {
	corrupt := func(field string) (*state, error) {
		return nil, newErr("decode", ReasonCorrupt, 0, field, nil)
	}
	if len(b) > maxDecodeBytes {
		return corrupt("size")
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	var w stateWire
	if err := d.Decode(&w); err != nil {
		return corrupt("json")
	}
	st := state{Format: w.Format, Credentials: make([]Credential, len(w.Credentials)), History: w.History,
		Presentations: w.Presentations, Decisions: w.Decisions}
	for i := range w.Credentials {
		st.Credentials[i] = fromWire(&w.Credentials[i])
	}
	if _, err := d.Token(); err != io.EOF {
		return corrupt("trailing data")
	}
	if st.Format != stateFormat {
		return corrupt("format")
	}
	handles := make(map[Handle]bool, len(st.Credentials))
	for _, c := range st.Credentials {
		switch {
		case !c.Kind.Valid():
			return corrupt("kind")
		case !c.Status.Valid():
			return corrupt("status")
		case c.Handle == "" || handles[c.Handle]:
			return corrupt("handle")
		case !c.Level.Valid():
			return corrupt("level")
		}
		handles[c.Handle] = true
	}
	for _, e := range st.History {
		if !e.Type.Valid() || !e.Kind.Valid() {
			return corrupt("event")
		}
	}
	for _, p := range st.Presentations {
		if p.Key == "" || !handles[p.Handle] {
			return corrupt("presentation")
		}
	}
	for _, d := range st.Decisions {
		if d.Key == "" {
			return corrupt("decision")
		}
	}
	return &st, nil
}
