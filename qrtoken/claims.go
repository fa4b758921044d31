package qrtoken

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/verify/idcard"
)

// ClaimSet is a set of claims, the disclosure a [Purpose] allows. The bits are part of the
// wire format: a code's claims appear in bit order.
type ClaimSet uint16

// The claims a code can carry.
const (
	ClaimName           ClaimSet = 1 << iota // full name, UTF-8
	ClaimIDNumber                            // the full 18-character ID number
	ClaimMaskedIDNumber                      // region and last four characters only: 110105********002X
	ClaimBirthDate                           // birth date (prefer an age predicate: Purpose.AgeOver)
	ClaimGender                              // gender
	ClaimAddress                             // registered address, UTF-8
	ClaimEventID                             // the event a ticket admits to
	ClaimTicket                              // the ticket reference (seat, order number), opaque text

	claimAll = ClaimName | ClaimIDNumber | ClaimMaskedIDNumber | ClaimBirthDate | ClaimGender |
		ClaimAddress | ClaimEventID | ClaimTicket
)

var claimNames = [...]string{"name", "id_number", "masked_id_number", "birth_date", "gender", "address", "event_id", "ticket"}

// Has reports whether s contains every claim of c.
func (s ClaimSet) Has(c ClaimSet) bool { return s&c == c }

// String lists the claims, e.g. "name|id_number".
func (s ClaimSet) String() string {
	var parts []string
	for i, n := range claimNames {
		if s&(1<<i) != 0 {
			parts = append(parts, n)
		}
	}
	if rest := s &^ claimAll; rest != 0 {
		parts = append(parts, "0x"+strconv.FormatUint(uint64(rest), 16))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "|")
}

// Limits on variable-length claims, in UTF-8 bytes.
const (
	MaxNameBytes     = 64
	MaxAddressBytes  = 255
	MaxTicketBytes   = 64
	maxAgePredicates = 8
)

// Purpose says why a code is shown and therefore which claims it carries: a code carries
// exactly the claims of its purpose, nothing more. The ID, the claim set and the age
// predicates are bound into the key derivation, so a code cannot be read as another
// purpose, and an issuer and a reader that disagree on a purpose's definition fail to
// authenticate rather than misread each other.
//
// IDs 1 to 15 are reserved for the profiles of this package; hosts define their own
// purposes with IDs 16 to 255.
type Purpose struct {
	ID     uint8    // wire identifier, shown in clear in the code
	Name   string   // for humans and logs, not on the wire
	Claims ClaimSet // the claims the code carries
	// AgeOver lists derived predicates "at least N years old on the day of issue", computed
	// by the issuer from the birth date; the birth date itself is carried only if Claims
	// has ClaimBirthDate. At most 8, each 1 to 150, distinct.
	AgeOver []int
}

// Built-in purpose profiles. They are functions, not variables, so that no importer can
// change a profile (and with it the key derivation) for the whole process: each call
// returns a fresh copy.

// PurposeInternetCafe: name, ID number and over-18, what an internet cafe must record
// (网吧实名登记).
func PurposeInternetCafe() Purpose {
	return Purpose{ID: 1, Name: "internet-cafe", Claims: ClaimName | ClaimIDNumber, AgeOver: []int{18}}
}

// PurposeStadiumGate: name, masked ID number and the ticket binding (event and ticket
// reference) for real-name ticketing at a gate.
func PurposeStadiumGate() Purpose {
	return Purpose{ID: 2, Name: "stadium-gate", Claims: ClaimName | ClaimMaskedIDNumber | ClaimEventID | ClaimTicket}
}

// PurposeGovernmentCounter: the full identity incl. address, for a government service
// counter.
func PurposeGovernmentCounter() Purpose {
	return Purpose{ID: 3, Name: "government-counter", Claims: ClaimName | ClaimIDNumber | ClaimBirthDate | ClaimGender | ClaimAddress}
}

// FirstHostPurposeID is the lowest purpose ID a host may use for its own purposes.
const FirstHostPurposeID = 16

// Validate checks a purpose definition.
func (p Purpose) Validate() error {
	if p.ID == 0 {
		return errInvalidArgument("Purpose.ID")
	}
	if p.Claims&^claimAll != 0 {
		return errInvalidArgument("Purpose.Claims")
	}
	if p.Claims == 0 && len(p.AgeOver) == 0 {
		return errInvalidArgument("Purpose.Claims")
	}
	if p.Claims.Has(ClaimIDNumber | ClaimMaskedIDNumber) {
		return errInvalidArgument("Purpose.Claims")
	}
	if len(p.AgeOver) > maxAgePredicates {
		return errInvalidArgument("Purpose.AgeOver")
	}
	for i, a := range p.AgeOver {
		if a < 1 || a > 150 || slices.Contains(p.AgeOver[:i], a) {
			return errInvalidArgument("Purpose.AgeOver")
		}
	}
	return nil
}

// clone returns p with its own AgeOver, so that a result handed out cannot change the
// definition it came from, nor another result.
func (p Purpose) clone() Purpose {
	p.AgeOver = slices.Clone(p.AgeOver)
	return p
}

// binding is the canonical byte form of the purpose definition bound into key derivation
// and additional data: ID, claim set (2 bytes), number of age predicates, the ages.
func (p Purpose) binding() []byte {
	b := make([]byte, 0, 4+len(p.AgeOver))
	b = append(b, p.ID)
	b = binary.BigEndian.AppendUint16(b, uint16(p.Claims))
	b = append(b, byte(len(p.AgeOver)))
	for _, a := range p.AgeOver {
		b = append(b, byte(a))
	}
	return b
}

// bindingKey is a purpose binding as a comparable value: the binding zero-padded to its
// maximum length. The binding holds its own length (the number of age predicates), so
// distinct bindings have distinct keys.
type bindingKey [4 + maxAgePredicates]byte

// bindingKey returns the purpose binding as a bindingKey; p must be valid.
func (p *Purpose) bindingKey() (k bindingKey) {
	k[0], k[1], k[2], k[3] = p.ID, byte(p.Claims>>8), byte(p.Claims), byte(len(p.AgeOver))
	for i, a := range p.AgeOver[:min(len(p.AgeOver), maxAgePredicates)] {
		k[4+i] = byte(a)
	}
	return k
}

// String returns the purpose's name and ID.
func (p Purpose) String() string {
	return fmt.Sprintf("%s(%d)", p.Name, p.ID)
}

// Gender is carried on the wire as 1 (male) or 2 (female), the byte values of format
// version 1, which predate idcard.Gender's own numbering (female 1, male 2).
const (
	wireMale   = 1
	wireFemale = 2
)

func genderToWire(g idcard.Gender) (byte, bool) {
	switch g {
	case idcard.Male:
		return wireMale, true
	case idcard.Female:
		return wireFemale, true
	}
	return 0, false
}

func genderFromWire(b byte) (idcard.Gender, bool) {
	switch b {
	case wireMale:
		return idcard.Male, true
	case wireFemale:
		return idcard.Female, true
	}
	return 0, false
}

// AgeOver is a derived predicate: whether the holder was at least Age years old on the day
// the code was issued.
type AgeOver struct {
	Age  int
	Over bool
}

// Claims are the facts about a person that a code carries. An issuer is given the source
// facts; a reader gets back exactly the claims of the code's purpose. The type masks
// personal data in String, Format (every verb, including %#v), LogValue, MarshalJSON and
// MarshalText.
type Claims struct {
	Name string
	// IDNumber is an 18-character GB 11643 number (resident ID card, the residence permits
	// for Hong Kong, Macao and Taiwan residents, the 2023 permanent residence ID card).
	// Convert 15-digit legacy numbers first. As input it is also the source of
	// MaskedIDNumber, and of BirthDate, Gender and the age predicates when those are empty.
	IDNumber string
	// MaskedIDNumber is output only ("110105********002X"); the issuer derives it.
	MaskedIDNumber string
	// BirthDate is a civil date; only its year, month and day are used.
	BirthDate time.Time
	// Gender is idcard.Female or idcard.Male; zero means not given.
	Gender  idcard.Gender
	Address string
	EventID uint32
	Ticket  string
	// AgeOver is output only: the purpose's age predicates, computed at issue.
	AgeOver []AgeOver
}

// IsOver returns the predicate "at least age years old at issue" and whether the code
// carries it; false, false for nil claims.
func (c *Claims) IsOver(age int) (over, present bool) {
	if c == nil {
		return false, false
	}
	for _, a := range c.AgeOver {
		if a.Age == age {
			return a.Over, true
		}
	}
	return false, false
}

// String returns the claims with personal data masked.
func (c Claims) String() string {
	var b strings.Builder
	b.WriteString("Claims{")
	sep := ""
	field := func(k, v string) {
		if v == "" {
			return
		}
		b.WriteString(sep + k + ":" + v)
		sep = " "
	}
	field("name", mask.Name(c.Name))
	field("id_number", maskID(c.IDNumber))
	field("masked_id_number", c.MaskedIDNumber)
	if !c.BirthDate.IsZero() {
		field("birth_date", "****-**-**")
	}
	if c.Gender != 0 {
		field("gender", c.Gender.String())
	}
	field("address", mask.Text(c.Address))
	if c.EventID != 0 {
		field("event_id", strconv.FormatUint(uint64(c.EventID), 10))
	}
	field("ticket", mask.Middle(c.Ticket, 0, 4))
	for _, a := range c.AgeOver {
		field("age_over_"+strconv.Itoa(a.Age), strconv.FormatBool(a.Over))
	}
	b.WriteString("}")
	return b.String()
}

// GoString returns the masked String form, so that %#v shows no personal data.
func (c Claims) GoString() string { return "qrtoken." + c.String() }

// Format writes the masked String form for every verb (quoted for %q, GoString for %#v),
// so that no verb or flag shows personal data.
func (c Claims) Format(f fmt.State, verb rune) { mask.Format(f, verb, c.String(), c.GoString()) }

// LogValue returns the masked claims as a log group.
func (c Claims) LogValue() slog.Value {
	attrs := []slog.Attr{}
	add := func(k, v string) {
		if v != "" {
			attrs = append(attrs, slog.String(k, v))
		}
	}
	add("name", mask.Name(c.Name))
	add("id_number", maskID(c.IDNumber))
	add("masked_id_number", c.MaskedIDNumber)
	if !c.BirthDate.IsZero() {
		add("birth_date", "****-**-**")
	}
	if c.Gender != 0 {
		add("gender", c.Gender.String())
	}
	add("address", mask.Text(c.Address))
	if c.EventID != 0 {
		attrs = append(attrs, slog.Uint64("event_id", uint64(c.EventID)))
	}
	add("ticket", mask.Middle(c.Ticket, 0, 4))
	for _, a := range c.AgeOver {
		attrs = append(attrs, slog.Bool("age_over_"+strconv.Itoa(a.Age), a.Over))
	}
	return slog.GroupValue(attrs...)
}

// MarshalJSON implements json.Marshaler with the masking of [Claims.LogValue], so that
// claims reaching encoding/json (alone, inside an [Opened] or a host's own struct, or
// through a logger that encodes by reflection) do not leak. It is deliberately lossy and
// there is no UnmarshalJSON: to store or send the values, copy them into a type of your own.
func (c Claims) MarshalJSON() ([]byte, error) {
	m := maskedClaimsJSON{
		Name:           mask.Name(c.Name),
		IDNumber:       maskID(c.IDNumber),
		MaskedIDNumber: c.MaskedIDNumber,
		Address:        mask.Text(c.Address),
		EventID:        c.EventID,
		Ticket:         mask.Middle(c.Ticket, 0, 4),
	}
	if !c.BirthDate.IsZero() {
		m.BirthDate = "****-**-**"
	}
	if c.Gender != 0 {
		m.Gender = c.Gender.String()
	}
	if len(c.AgeOver) > 0 {
		m.AgeOver = make(map[string]bool, len(c.AgeOver))
		for _, a := range c.AgeOver {
			m.AgeOver[strconv.Itoa(a.Age)] = a.Over
		}
	}
	return json.Marshal(m)
}

// MarshalText implements encoding.TextMarshaler with the masked [Claims.String] form, for
// text-based encoders (encoding/xml, YAML libraries) that would otherwise walk the fields.
func (c Claims) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

type maskedClaimsJSON struct {
	Name           string          `json:"name,omitempty"`
	IDNumber       string          `json:"id_number,omitempty"`
	MaskedIDNumber string          `json:"masked_id_number,omitempty"`
	BirthDate      string          `json:"birth_date,omitempty"`
	Gender         string          `json:"gender,omitempty"`
	Address        string          `json:"address,omitempty"`
	EventID        uint32          `json:"event_id,omitempty"`
	Ticket         string          `json:"ticket,omitempty"`
	AgeOver        map[string]bool `json:"age_over,omitempty"`
}

func maskID(s string) string {
	if len(s) == 18 {
		return mask.Middle(s, 6, 4)
	}
	return mask.Middle(s, 0, 0)
}

// civilDate returns t's date as midnight UTC.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ageOn returns the age in whole years on day of someone born on birth. Someone born on
// 29 February turns a year older on 1 March in common years.
func ageOn(birth, day time.Time) int {
	a := day.Year() - birth.Year()
	if day.Month() < birth.Month() || day.Month() == birth.Month() && day.Day() < birth.Day() {
		a--
	}
	return a
}

var epoch1900 = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

func validText(s string, maxBytes int, what string) error {
	if len(s) > maxBytes {
		return errorf(ReasonInvalidClaim, what)
	}
	if !utf8.ValidString(s) {
		return errorf(ReasonInvalidClaim, what)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return errorf(ReasonInvalidClaim, what)
		}
	}
	return nil
}

// appendClaims checks c against p and appends the packed claims:
//
//	name             1-byte length | UTF-8
//	id_number        8 bytes: the first 17 digits as an integer (check character recomputed)
//	masked_id_number 5 bytes: region (6 digits) << 14 | last 3 digits << 4 | check value
//	birth_date       2 bytes: days since 1900-01-01
//	gender           1 byte: 1 male, 2 female
//	address          1-byte length | UTF-8
//	event_id         4 bytes
//	ticket           1-byte length | UTF-8
//	age predicates   1 byte: bit i set when the holder is over p.AgeOver[i] (only if any)
//
// each present only when p carries it, in this order, integers big endian. today is the
// civil date of issue for the age predicates.
func appendClaims(dst []byte, c *Claims, p *Purpose, today time.Time) ([]byte, error) {
	carried := p.Claims
	ages := len(p.AgeOver) > 0
	if c.MaskedIDNumber != "" {
		return nil, errorf(ReasonInvalidClaim, "masked_id_number")
	}
	if c.AgeOver != nil {
		return nil, errorf(ReasonInvalidClaim, "age_over")
	}
	refuse := func(have bool, c ClaimSet, usedAsSource bool) error {
		if have && !carried.Has(c) && !usedAsSource {
			return errorf(ReasonClaimNotInPurpose, claimNames[bitIndex(c)])
		}
		return nil
	}
	idSource := carried&(ClaimMaskedIDNumber|ClaimBirthDate|ClaimGender) != 0 || ages
	for _, e := range []error{
		refuse(c.Name != "", ClaimName, false),
		refuse(c.IDNumber != "", ClaimIDNumber, idSource),
		refuse(!c.BirthDate.IsZero(), ClaimBirthDate, ages),
		refuse(c.Gender != 0, ClaimGender, false),
		refuse(c.Address != "", ClaimAddress, false),
		refuse(c.EventID != 0, ClaimEventID, false),
		refuse(c.Ticket != "", ClaimTicket, false),
	} {
		if e != nil {
			return nil, e
		}
	}

	var id parsedID
	haveID := c.IDNumber != ""
	if haveID {
		var err error
		if id, err = parseIDNumber(c.IDNumber); err != nil {
			return nil, err
		}
	}
	birth, gender := time.Time{}, c.Gender
	if !c.BirthDate.IsZero() {
		birth = civilDate(c.BirthDate)
	}
	if haveID {
		idBirth, _ := id.birthDate()
		if birth.IsZero() {
			birth = idBirth
		} else if !birth.Equal(idBirth) {
			return nil, errorf(ReasonInvalidClaim, "birth_date")
		}
		if gender == 0 {
			gender = id.gender()
		} else if gender != id.gender() {
			return nil, errorf(ReasonInvalidClaim, "gender")
		}
	}
	missing := func(c ClaimSet) error { return errorf(ReasonMissingClaim, claimNames[bitIndex(c)]) }

	if carried.Has(ClaimName) {
		if c.Name == "" {
			return nil, missing(ClaimName)
		}
		if err := validText(c.Name, MaxNameBytes, "name"); err != nil {
			return nil, err
		}
		dst = append(dst, byte(len(c.Name)))
		dst = append(dst, c.Name...)
	}
	if carried&(ClaimIDNumber|ClaimMaskedIDNumber) != 0 && !haveID {
		return nil, missing(ClaimIDNumber)
	}
	if carried.Has(ClaimIDNumber) {
		dst = binary.BigEndian.AppendUint64(dst, id.value())
	}
	if carried.Has(ClaimMaskedIDNumber) {
		v := id.maskedValue()
		dst = append(dst, byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	if carried.Has(ClaimBirthDate) || ages {
		if birth.IsZero() {
			return nil, missing(ClaimBirthDate)
		}
		if birth.Before(epoch1900) || birth.After(today) || birth.Sub(epoch1900)/(24*time.Hour) > 0xFFFF {
			return nil, errorf(ReasonInvalidClaim, "birth_date")
		}
	}
	if carried.Has(ClaimBirthDate) {
		dst = binary.BigEndian.AppendUint16(dst, uint16(birth.Sub(epoch1900)/(24*time.Hour)))
	}
	if carried.Has(ClaimGender) {
		g, ok := genderToWire(gender)
		if !ok {
			return nil, missing(ClaimGender)
		}
		dst = append(dst, g)
	}
	if carried.Has(ClaimAddress) {
		if c.Address == "" {
			return nil, missing(ClaimAddress)
		}
		if err := validText(c.Address, MaxAddressBytes, "address"); err != nil {
			return nil, err
		}
		dst = append(dst, byte(len(c.Address)))
		dst = append(dst, c.Address...)
	}
	if carried.Has(ClaimEventID) {
		if c.EventID == 0 {
			return nil, missing(ClaimEventID)
		}
		dst = binary.BigEndian.AppendUint32(dst, c.EventID)
	}
	if carried.Has(ClaimTicket) {
		if c.Ticket == "" {
			return nil, missing(ClaimTicket)
		}
		if err := validText(c.Ticket, MaxTicketBytes, "ticket"); err != nil {
			return nil, err
		}
		dst = append(dst, byte(len(c.Ticket)))
		dst = append(dst, c.Ticket...)
	}
	if ages {
		var bits byte
		age := ageOn(birth, today)
		for i, a := range p.AgeOver {
			if age >= a {
				bits |= 1 << i
			}
		}
		dst = append(dst, bits)
	}
	return dst, nil
}

func bitIndex(c ClaimSet) int {
	for i := range claimNames {
		if c == 1<<i {
			return i
		}
	}
	return 0
}

func errBadClaims() error { return errMalformed("claims") }

// parseClaims reverses appendClaims. It runs only on authenticated plaintext, but still
// checks every length so that a bug on either side cannot make it panic.
func parseClaims(b []byte, p *Purpose, c *Claims) error {
	carried := p.Claims
	var name, addr, ticket []byte
	var id [18]byte // the full or the masked ID number
	if carried.Has(ClaimName) {
		if name, b = takeText(b); name == nil {
			return errBadClaims()
		}
	}
	if carried.Has(ClaimIDNumber) {
		if len(b) < 8 || !putIDNumber(&id, binary.BigEndian.Uint64(b)) {
			return errBadClaims()
		}
		b = b[8:]
	}
	if carried.Has(ClaimMaskedIDNumber) {
		if len(b) < 5 || !putMaskedID(&id, uint64(b[0])<<32|uint64(binary.BigEndian.Uint32(b[1:]))) {
			return errBadClaims()
		}
		b = b[5:]
	}
	if carried.Has(ClaimBirthDate) {
		if len(b) < 2 {
			return errBadClaims()
		}
		// Whole days in UTC, where every day has 24 hours: the same as AddDate(0, 0, days).
		c.BirthDate = epoch1900.Add(time.Duration(binary.BigEndian.Uint16(b)) * 24 * time.Hour)
		b = b[2:]
	}
	if carried.Has(ClaimGender) {
		if len(b) < 1 {
			return errBadClaims()
		}
		g, ok := genderFromWire(b[0])
		if !ok {
			return errBadClaims()
		}
		c.Gender, b = g, b[1:]
	}
	if carried.Has(ClaimAddress) {
		if addr, b = takeText(b); addr == nil {
			return errBadClaims()
		}
	}
	if carried.Has(ClaimEventID) {
		if len(b) < 4 {
			return errBadClaims()
		}
		c.EventID, b = binary.BigEndian.Uint32(b), b[4:]
	}
	if carried.Has(ClaimTicket) {
		if ticket, b = takeText(b); ticket == nil {
			return errBadClaims()
		}
	}
	var over byte
	if len(p.AgeOver) > 0 {
		if len(b) < 1 || b[0]>>len(p.AgeOver) != 0 {
			return errBadClaims()
		}
		over, b = b[0], b[1:]
	}
	if len(b) != 0 {
		return errBadClaims()
	}

	// One string holds every text claim, and each field is a piece of it: one allocation
	// instead of one per field.
	idLen := 0
	if carried&(ClaimIDNumber|ClaimMaskedIDNumber) != 0 {
		idLen = len(id)
	}
	var sb strings.Builder
	sb.Grow(len(name) + idLen + len(addr) + len(ticket))
	sb.Write(name)
	sb.Write(id[:idLen])
	sb.Write(addr)
	sb.Write(ticket)
	all := sb.String()
	c.Name, all = all[:len(name)], all[len(name):]
	if carried.Has(ClaimIDNumber) {
		c.IDNumber = all[:idLen]
	} else if carried.Has(ClaimMaskedIDNumber) {
		c.MaskedIDNumber = all[:idLen]
	}
	all = all[idLen:]
	c.Address, c.Ticket = all[:len(addr)], all[len(addr):]
	if len(p.AgeOver) > 0 {
		c.AgeOver = make([]AgeOver, len(p.AgeOver))
		for i, a := range p.AgeOver {
			c.AgeOver[i] = AgeOver{Age: a, Over: over&(1<<i) != 0}
		}
	}
	return nil
}

// takeText splits a length-prefixed text claim off b; text is nil if b is too short.
func takeText(b []byte) (text, rest []byte) {
	if len(b) < 1 || int(b[0]) > len(b)-1 {
		return nil, b
	}
	n := int(b[0]) + 1
	return b[1:n:n], b[n:]
}
