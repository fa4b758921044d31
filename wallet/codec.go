package wallet

import (
	"bytes"
	"encoding/json"
	"io"
	"time"
)

// stateFormat is the version of the encoded wallet (StoredWallet.Data before sealing).
const stateFormat = 1

// maxStateBytes bounds an encoded wallet so that a corrupt or hostile record cannot make
// the decoder allocate without limit.
const maxStateBytes = 16 << 20

// state is one holder's wallet: every credential ever linked (current and historical),
// the history, and the presentations whose codes may still be shown.
type state struct {
	Format        int            `json:"format"`
	Credentials   []Credential   `json:"credentials"`
	History       []HistoryEntry `json:"history"`
	Presentations []presentation `json:"presentations,omitempty"`
}

// presentation remembers an issued code by an HMAC of its text, so that a reader's
// online status check can find the credential behind it.
type presentation struct {
	Key     string    `json:"key"`
	Handle  Handle    `json:"handle"`
	Purpose string    `json:"purpose"`
	Expires time.Time `json:"expires"`
}

func (st *state) encode() ([]byte, error) {
	st.Format = stateFormat
	return json.Marshal(st)
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
	if len(b) > maxStateBytes {
		return corrupt("size")
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	var st state
	if err := d.Decode(&st); err != nil {
		return corrupt("json")
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
	return &st, nil
}
