package wallet

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
)

// Status is the status of a credential in the wallet. The zero value is invalid.
type Status uint8

// Credential statuses.
const (
	// StatusActive: in force; the credential can be presented.
	StatusActive Status = iota + 1
	// StatusExpired: the validity period ended (set by the wallet at the injected
	// clock, or reported by the registry). Final.
	StatusExpired
	// StatusSuspended: temporarily blocked (暂停), e.g. by the holder or an operator
	// while a dispute is settled; can be reinstated.
	StatusSuspended
	// StatusReportedLost: reported lost or stolen (挂失); can be reinstated when the
	// report is withdrawn (解除挂失).
	StatusReportedLost
	// StatusRevoked: revoked or cancelled by the issuing authority (注销/吊销). Final.
	StatusRevoked
	// StatusSuperseded: replaced by a newer document of the same slot (a renewed
	// passport, a new ID card). Kept as history. Final.
	StatusSuperseded
)

var statusNames = [...]string{"", "active", "expired", "suspended", "reported-lost", "revoked", "superseded"}

// String returns "active", "expired", "suspended", "reported-lost", "revoked" or
// "superseded".
func (s Status) String() string {
	if s.Valid() {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// Valid reports whether s is one of the defined statuses.
func (s Status) Valid() bool { return s >= StatusActive && int(s) < len(statusNames) }

// Final reports whether no status change can leave s (expired, revoked, superseded).
func (s Status) Final() bool {
	return s == StatusExpired || s == StatusRevoked || s == StatusSuperseded
}

// MarshalText encodes s as its String form.
func (s Status) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, invalid("marshal", "status")
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes the String form of a status.
func (s *Status) UnmarshalText(b []byte) error {
	if s == nil {
		return invalid("unmarshal", "status")
	}
	for i, n := range statusNames {
		if i > 0 && string(b) == n {
			*s = Status(i)
			return nil
		}
	}
	return invalid("unmarshal", "status")
}

// reason is the presentation refusal reason of an inactive status.
func (s Status) reason() Reason {
	switch s {
	case StatusExpired:
		return ReasonExpired
	case StatusSuspended:
		return ReasonSuspended
	case StatusReportedLost:
		return ReasonReportedLost
	case StatusRevoked:
		return ReasonRevoked
	case StatusSuperseded:
		return ReasonSuperseded
	}
	return ReasonStatusInvalid
}

// Holder holds the personal fields a credential records about its holder. Empty fields
// are "not recorded". Every output form masks it: String, GoString, Format (every verb),
// LogValue, MarshalText and MarshalJSON.
type Holder struct {
	// Name in Chinese characters (or the document's script); LatinName is the
	// Latin-script name of passports and permits, "SURNAME GIVEN NAMES".
	Name      string        `json:"name"`
	LatinName string        `json:"latin_name,omitempty"`
	Gender    idcard.Gender `json:"gender,omitempty"`
	BirthDate verify.Date   `json:"birth_date"`
	// Nationality is an ISO 3166-1 alpha-3 code ("CHN"); Ethnicity the ethnic group (民族).
	Nationality string `json:"nationality,omitempty"`
	Ethnicity   string `json:"ethnicity,omitempty"`
	// Address is the registered address (住址) where the document records one.
	Address string `json:"address,omitempty"`
}

func (h Holder) masked() string {
	var b strings.Builder
	b.WriteString("{Name:")
	b.WriteString(mask.Name(h.Name))
	if h.LatinName != "" {
		b.WriteString(" LatinName:")
		b.WriteString(mask.Name(h.LatinName))
	}
	if h.Address != "" {
		b.WriteString(" Address:")
		b.WriteString(mask.Text(h.Address))
	}
	b.WriteString("}")
	return b.String()
}

// String returns the masked name(s) and the length of the address; the birth date,
// gender, nationality and ethnicity are left out.
func (h Holder) String() string { return h.masked() }

// GoString returns the same masked form, so %#v shows no personal data.
func (h Holder) GoString() string { return "wallet.Holder" + h.masked() }

// Format writes the masked form for every verb.
func (h Holder) Format(f fmt.State, verb rune) { mask.Format(f, verb, h.masked(), h.GoString()) }

// LogValue logs the masked form.
func (h Holder) LogValue() slog.Value { return slog.StringValue(h.masked()) }

// MarshalText returns the masked form: encoding a Holder never writes its personal data.
func (h Holder) MarshalText() ([]byte, error) { return []byte(h.masked()), nil }

// MarshalJSON returns the masked form as a JSON string. The wallet stores credentials
// through its own encoding; hosts that need the fields read them.
func (h Holder) MarshalJSON() ([]byte, error) { return json.Marshal(h.masked()) }

// Household holds the fields of a household register entry (户口簿常住人口登记卡).
type Household struct {
	// Number is the household number (户号): 6 to 12 ASCII digits. No national format
	// or check digit is published; only the alphabet and length are checked.
	Number string `json:"number"`
	// Relation is the holder's relation to the head of household (与户主关系), as
	// printed, e.g. 户主, 配偶, 子, 女 (GB/T 4761 names). Required, at most 16 characters.
	Relation string `json:"relation"`
}

// DriverLicence holds the fields of a motor vehicle driving licence (机动车驾驶证). The
// licence number itself is the holder's resident ID number (Credential.Number).
type DriverLicence struct {
	// Class is the permitted vehicle class (准驾车型), one or more codes of the Ministry
	// of Public Security's Order No. 162 run together as printed, e.g. "C1", "A2D", "C1E".
	Class string `json:"class"`
	// ArchiveNumber is the 12-digit file number (档案编号), checked by verify/docnum.
	ArchiveNumber string `json:"archive_number"`
}

// VehicleLicence holds the fields of a motor vehicle licence (机动车行驶证). The
// credential's Number is the plate.
type VehicleLicence struct {
	// VIN is the vehicle identification number, checked with its check digit by
	// verify/docnum (GB 16735).
	VIN string `json:"vin"`
	// Type is the vehicle type as printed (车辆类型), e.g. 小型轿车. Required.
	Type string `json:"type"`
}

// Credential is one official credential (证照) in a wallet. Every output form masks its
// personal fields: String, GoString, Format (every verb), LogValue, MarshalText and
// MarshalJSON (a JSON string of the masked summary). Read the fields to show a holder
// their own credential.
//
// Number is the document number in canonical form, by kind:
//
//   - KindIDCard, KindResidencePermit, KindDriverLicence: the 18-character GB 11643
//     number (verify/idcard; a driving licence's number is its holder's ID number);
//   - KindHouseholdRegister: the holder's 18-character ID number; the entry is keyed
//     by it together with Household.Number;
//   - KindPassport, KindHKMacaoPermit, KindTaiwanPermit: the passport or permit number
//     (verify/docnum);
//   - KindVehicleLicence: the plate number without separator (verify/docnum).
type Credential struct {
	Kind   verify.CredentialKind `json:"kind"`
	Number string                `json:"number"`
	Holder Holder                `json:"holder"`
	// Authority is the issuing authority (签发机关/发证机关).
	Authority string `json:"authority,omitempty"`
	// ValidFrom and ValidUntil are the validity period, both days included. LongTerm
	// (长期) means no end date; ValidUntil must then be zero.
	ValidFrom  verify.Date `json:"valid_from"`
	ValidUntil verify.Date `json:"valid_until"`
	LongTerm   bool        `json:"long_term,omitempty"`
	// Status is the credential's status. A source reports the registry's status;
	// the wallet keeps it up to date.
	Status Status `json:"status"`
	// Level is the assurance level of the decision the credential was linked at. Set
	// by the wallet; a source's value is ignored.
	Level verify.Level `json:"level"`
	// Source names the authoritative registry the credential came from, e.g.
	// "mps-population" (not personal data).
	Source string `json:"source,omitempty"`

	// Kind-specific fields: exactly the one matching Kind is set, or none for kinds
	// without extra fields.
	Household *Household      `json:"household,omitempty"`
	Driver    *DriverLicence  `json:"driver,omitempty"`
	Vehicle   *VehicleLicence `json:"vehicle,omitempty"`

	// Handle identifies the credential without revealing its number: an HMAC under
	// the wallet's index key (see the package documentation). Set by the wallet.
	Handle Handle `json:"handle"`
	// LinkedAt is when the wallet first linked the credential, UpdatedAt when it last
	// changed. Set by the wallet.
	LinkedAt  time.Time `json:"linked_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// SupersededBy is the handle of the credential that replaced this one.
	SupersededBy Handle `json:"superseded_by,omitempty"`
}

// Handle identifies a credential by an HMAC-SHA-256 of its kind, number and start of
// validity under the wallet's index key, base64url-encoded. It reveals nothing of the
// number to whoever does not hold the key, and is stable for one document: linking the
// same document again yields the same handle.
type Handle string

// ActiveAt returns the credential's effective status at now: the stored status, except
// that an active credential whose validity ended before the calendar day of now (in
// China Standard Time) is expired. The second result is "" when the credential can be
// presented and otherwise the reason it cannot (including ReasonNotYetValid for an
// active credential whose validity has not begun).
func (c Credential) ActiveAt(now time.Time) (Status, Reason) {
	if c.Status != StatusActive {
		return c.Status, c.Status.reason()
	}
	today := verify.ChinaDate(now)
	if !c.LongTerm && !c.ValidUntil.IsZero() && c.ValidUntil.Compare(today) < 0 {
		return StatusExpired, ReasonExpired
	}
	if !c.ValidFrom.IsZero() && c.ValidFrom.Compare(today) > 0 {
		return StatusActive, ReasonNotYetValid
	}
	return StatusActive, ""
}

func (c Credential) masked() string {
	var b strings.Builder
	b.WriteString("{Kind:")
	b.WriteString(c.Kind.String())
	b.WriteString(" Number:")
	b.WriteString(maskNumber(c.Kind, c.Number))
	b.WriteString(" Holder:")
	b.WriteString(c.Holder.masked())
	b.WriteString(" Status:")
	if c.Status.Valid() {
		b.WriteString(c.Status.String())
	} else {
		b.WriteString("invalid")
	}
	b.WriteString(" Level:")
	b.WriteString(c.Level.String())
	b.WriteString(" Valid:")
	b.WriteString(c.ValidFrom.String())
	b.WriteString("..")
	if c.LongTerm {
		b.WriteString("long-term")
	} else {
		b.WriteString(c.ValidUntil.String())
	}
	if c.Household != nil {
		b.WriteString(" Household:")
		b.WriteString(mask.Middle(c.Household.Number, 0, 2))
	}
	if c.Driver != nil {
		b.WriteString(" Class:")
		b.WriteString(c.Driver.Class)
		b.WriteString(" Archive:")
		b.WriteString(mask.Middle(c.Driver.ArchiveNumber, 2, 2))
	}
	if c.Vehicle != nil {
		b.WriteString(" VIN:")
		b.WriteString(mask.Middle(c.Vehicle.VIN, 11, 0))
	}
	if c.Handle != "" {
		b.WriteString(" Handle:")
		b.WriteString(c.Handle.short())
	}
	b.WriteString("}")
	return b.String()
}

// String returns a masked summary: kind, masked number and name, status, level,
// validity and masked kind-specific numbers. Birth date and address are left out.
func (c Credential) String() string { return c.masked() }

// GoString returns the same masked summary, so that %#v shows no personal data.
func (c Credential) GoString() string { return "wallet.Credential" + c.masked() }

// Format writes the masked summary for every verb.
func (c Credential) Format(f fmt.State, verb rune) {
	mask.Format(f, verb, c.masked(), c.GoString())
}

// LogValue logs the masked summary.
func (c Credential) LogValue() slog.Value { return slog.StringValue(c.masked()) }

// MarshalText returns the masked form: encoding a Credential never writes its personal data.
func (c Credential) MarshalText() ([]byte, error) { return []byte(c.masked()), nil }

// MarshalJSON returns the masked form as a JSON string. The wallet stores credentials
// through its own encoding; hosts that need the fields read them.
func (c Credential) MarshalJSON() ([]byte, error) { return json.Marshal(c.masked()) }

// short returns the first characters of a handle, enough to tell handles apart in logs.
func (h Handle) short() string {
	if len(h) <= 10 {
		return string(h)
	}
	return string(h[:10]) + "…"
}

// maskNumber masks a credential number: 18-character ID numbers keep the region and
// the last four characters (110105********002X), plates their province, authority and
// last two characters, other numbers their first two and last two characters.
func maskNumber(k verify.CredentialKind, s string) string {
	n := len([]rune(s))
	switch {
	case k == verify.KindVehicleLicence && n > 4:
		return mask.Middle(s, 2, 2)
	case n >= 15:
		return mask.Middle(s, 6, 4)
	case n >= 8:
		return mask.Middle(s, 2, 2)
	default:
		return mask.Middle(s, 0, 0)
	}
}

func (h Household) masked() string {
	return "{Number:" + mask.Middle(h.Number, 0, 2) + " Relation:" + mask.Middle(h.Relation, 0, 0) + "}"
}

// String returns the household number masked but for its last two digits; the relation
// is masked whole.
func (h Household) String() string { return h.masked() }

// GoString returns the masked form, so %#v shows no personal data.
func (h Household) GoString() string { return "wallet.Household" + h.masked() }

// Format writes the masked form for every verb.
func (h Household) Format(f fmt.State, verb rune) { mask.Format(f, verb, h.masked(), h.GoString()) }

// LogValue logs the masked form.
func (h Household) LogValue() slog.Value { return slog.StringValue(h.masked()) }

// MarshalText returns the masked form: encoding a Household never writes its personal data.
func (h Household) MarshalText() ([]byte, error) { return []byte(h.masked()), nil }

// MarshalJSON returns the masked form as a JSON string. The wallet stores credentials
// through its own encoding; hosts that need the fields read them.
func (h Household) MarshalJSON() ([]byte, error) { return json.Marshal(h.masked()) }

func (d DriverLicence) masked() string {
	return "{Class:" + d.Class + " ArchiveNumber:" + mask.Middle(d.ArchiveNumber, 2, 2) + "}"
}

// String returns the class and the archive number masked (11********78).
func (d DriverLicence) String() string { return d.masked() }

// GoString returns the masked form, so %#v shows no personal data.
func (d DriverLicence) GoString() string { return "wallet.DriverLicence" + d.masked() }

// Format writes the masked form for every verb.
func (d DriverLicence) Format(f fmt.State, verb rune) {
	mask.Format(f, verb, d.masked(), d.GoString())
}

// LogValue logs the masked form.
func (d DriverLicence) LogValue() slog.Value { return slog.StringValue(d.masked()) }

// MarshalText returns the masked form: encoding a DriverLicence never writes its personal data.
func (d DriverLicence) MarshalText() ([]byte, error) { return []byte(d.masked()), nil }

// MarshalJSON returns the masked form as a JSON string. The wallet stores credentials
// through its own encoding; hosts that need the fields read them.
func (d DriverLicence) MarshalJSON() ([]byte, error) { return json.Marshal(d.masked()) }

func (v VehicleLicence) masked() string {
	return "{VIN:" + mask.Middle(v.VIN, 11, 0) + " Type:" + v.Type + "}"
}

// String returns the VIN with its serial (positions 12-17) masked, and the vehicle type.
func (v VehicleLicence) String() string { return v.masked() }

// GoString returns the masked form, so %#v shows no personal data.
func (v VehicleLicence) GoString() string { return "wallet.VehicleLicence" + v.masked() }

// Format writes the masked form for every verb.
func (v VehicleLicence) Format(f fmt.State, verb rune) {
	mask.Format(f, verb, v.masked(), v.GoString())
}

// LogValue logs the masked form.
func (v VehicleLicence) LogValue() slog.Value { return slog.StringValue(v.masked()) }

// MarshalText returns the masked form: encoding a VehicleLicence never writes its personal data.
func (v VehicleLicence) MarshalText() ([]byte, error) { return []byte(v.masked()), nil }

// MarshalJSON returns the masked form as a JSON string. The wallet stores credentials
// through its own encoding; hosts that need the fields read them.
func (v VehicleLicence) MarshalJSON() ([]byte, error) { return json.Marshal(v.masked()) }
