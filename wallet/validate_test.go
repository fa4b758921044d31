package wallet

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/docnum"
	"github.com/trustid/trustid/verify/idcard"
)

func fixtureOf(k verify.CredentialKind) Credential {
	for _, c := range fixture() {
		if c.Kind == k {
			return c
		}
	}
	panic("no fixture")
}

func TestValidate(t *testing.T) {
	if xID[17] != 'X' {
		t.Fatalf("test data: xID must end in X")
	}
	badCheck := holderID[:17] + string("0123456789X"[(idx(holderID[17])+1)%11])
	tests := []struct {
		name       string
		kind       verify.CredentialKind
		mod        func(c *Credential)
		wantReason Reason
		wantCause  error // underlying document-rule error, when there is one
		wantNumber string
		holder     string // holder's ID number; default holderID
	}{
		// ID card: GB 11643 via verify/idcard.
		{name: "id card valid", kind: verify.KindIDCard, wantNumber: holderID},
		{name: "id card lower-case x normalised", kind: verify.KindIDCard, wantNumber: xID, holder: xID,
			mod: func(c *Credential) { c.Number = lowerX(xID) }},
		{name: "id card bad check char", kind: verify.KindIDCard, mod: func(c *Credential) { c.Number = badCheck },
			wantReason: ReasonNumberInvalid, wantCause: idcard.ErrChecksum},
		{name: "id card too short", kind: verify.KindIDCard, mod: func(c *Credential) { c.Number = holderID[:17] },
			wantReason: ReasonNumberInvalid, wantCause: idcard.ErrLength},
		{name: "id card another person", kind: verify.KindIDCard, mod: func(c *Credential) { c.Number = otherID },
			wantReason: ReasonHolderMismatch},
		{name: "id card with permit number", kind: verify.KindIDCard, mod: func(c *Credential) { c.Number = hkPermitID },
			wantReason: ReasonNumberInvalid},
		{name: "id card legacy 15 digits upgraded", kind: verify.KindIDCard, wantNumber: holderID,
			mod: func(c *Credential) { c.Number = "110105900307995" }},
		// Passport: verify/docnum.
		{name: "passport valid", kind: verify.KindPassport, wantNumber: testPassport},
		{name: "passport lower case folded", kind: verify.KindPassport, wantNumber: "EA1234567",
			mod: func(c *Credential) { c.Number = "ea1234567" }},
		{name: "passport bad prefix", kind: verify.KindPassport, mod: func(c *Credential) { c.Number = "X12345678" },
			wantReason: ReasonNumberInvalid, wantCause: docnum.ErrPrefix},
		{name: "passport too long", kind: verify.KindPassport, mod: func(c *Credential) { c.Number = "E123456789" },
			wantReason: ReasonNumberInvalid, wantCause: docnum.ErrLength},
		// HK/Macao and Taiwan travel permits.
		{name: "hk-macao permit valid", kind: verify.KindHKMacaoPermit, wantNumber: testHKPermit},
		{name: "hk-macao permit letter series", kind: verify.KindHKMacaoPermit, wantNumber: "CA0000001",
			mod: func(c *Credential) { c.Number = "CA0000001" }},
		{name: "hk-macao permit with Taiwan prefix", kind: verify.KindHKMacaoPermit, mod: func(c *Credential) { c.Number = "L12345678" },
			wantReason: ReasonNumberInvalid, wantCause: docnum.ErrPrefix},
		{name: "taiwan permit valid", kind: verify.KindTaiwanPermit, wantNumber: testTWPermit},
		{name: "taiwan permit booklet", kind: verify.KindTaiwanPermit, wantNumber: "T12345678",
			mod: func(c *Credential) { c.Number = "T12345678" }},
		{name: "taiwan permit bad char", kind: verify.KindTaiwanPermit, mod: func(c *Credential) { c.Number = "L1234567Z" },
			wantReason: ReasonNumberInvalid, wantCause: docnum.ErrCharacter},
		// Household register: holder's ID number + household number + relation.
		{name: "household valid", kind: verify.KindHouseholdRegister, wantNumber: holderID},
		{name: "household other person's number", kind: verify.KindHouseholdRegister, mod: func(c *Credential) { c.Number = otherID },
			wantReason: ReasonHolderMismatch},
		{name: "household bad id number", kind: verify.KindHouseholdRegister, mod: func(c *Credential) { c.Number = badCheck },
			wantReason: ReasonNumberInvalid, wantCause: idcard.ErrChecksum},
		{name: "household number with letters", kind: verify.KindHouseholdRegister,
			mod: func(c *Credential) { c.Household.Number = "11010A321" }, wantReason: ReasonFieldInvalid},
		{name: "household number too short", kind: verify.KindHouseholdRegister,
			mod: func(c *Credential) { c.Household.Number = "12345" }, wantReason: ReasonFieldInvalid},
		{name: "household missing relation", kind: verify.KindHouseholdRegister,
			mod: func(c *Credential) { c.Household.Relation = "" }, wantReason: ReasonFieldMissing},
		{name: "household missing details", kind: verify.KindHouseholdRegister,
			mod: func(c *Credential) { c.Household = nil }, wantReason: ReasonFieldMissing},
		{name: "household with end date", kind: verify.KindHouseholdRegister,
			mod: func(c *Credential) { c.ValidUntil = date("2030-01-01") }, wantReason: ReasonValidityInvalid},
		// Residence permit: resident number or HK/Macao/Taiwan residents' permit number.
		{name: "residence permit resident number", kind: verify.KindResidencePermit, wantNumber: holderID},
		{name: "residence permit 810000 of its holder", kind: verify.KindResidencePermit, wantNumber: hkPermitID,
			holder: hkPermitID, mod: func(c *Credential) { c.Number = hkPermitID }},
		{name: "residence permit 810000 in a resident's wallet", kind: verify.KindResidencePermit,
			mod: func(c *Credential) { c.Number = hkPermitID }, wantReason: ReasonHolderMismatch},
		{name: "household register with a permit number", kind: verify.KindHouseholdRegister, holder: hkPermitID,
			mod: func(c *Credential) { c.Number = hkPermitID }, wantReason: ReasonNumberInvalid},
		{name: "driver licence of a Hong Kong resident", kind: verify.KindDriverLicence, wantNumber: hkPermitID,
			holder: hkPermitID, mod: func(c *Credential) { c.Number = hkPermitID }},
		{name: "driver licence with spaces and a lower-case x", kind: verify.KindDriverLicence, wantNumber: xID, holder: xID,
			mod: func(c *Credential) { c.Number = " " + lowerX(xID[:6]+" "+xID[6:]) }},
		{name: "residence permit other resident's number", kind: verify.KindResidencePermit,
			mod: func(c *Credential) { c.Number = otherID }, wantReason: ReasonHolderMismatch},
		{name: "superseded from a source", kind: verify.KindIDCard,
			mod: func(c *Credential) { c.Status = StatusSuperseded }, wantReason: ReasonStatusInvalid},
		{name: "residence permit 840000 prefix", kind: verify.KindResidencePermit,
			mod: func(c *Credential) { c.Number = withCheck("84000019900307995") }, wantReason: ReasonNumberInvalid, wantCause: idcard.ErrRegion},
		{name: "residence permit long-term refused", kind: verify.KindResidencePermit,
			mod: func(c *Credential) { c.LongTerm, c.ValidUntil = true, verify.Date{} }, wantReason: ReasonValidityInvalid},
		// Driver's licence: ID number + class + 12-digit archive number.
		{name: "driver licence valid", kind: verify.KindDriverLicence, wantNumber: holderID},
		{name: "driver licence combined class", kind: verify.KindDriverLicence, wantNumber: holderID,
			mod: func(c *Credential) { c.Driver.Class = "A2D" }},
		{name: "driver licence long-term", kind: verify.KindDriverLicence, wantNumber: holderID,
			mod: func(c *Credential) { c.LongTerm, c.ValidUntil = true, verify.Date{} }},
		{name: "driver licence other person", kind: verify.KindDriverLicence, mod: func(c *Credential) { c.Number = otherID },
			wantReason: ReasonHolderMismatch},
		{name: "driver licence bad class C7", kind: verify.KindDriverLicence,
			mod: func(c *Credential) { c.Driver.Class = "C7" }, wantReason: ReasonFieldInvalid},
		{name: "driver licence bad class lower", kind: verify.KindDriverLicence,
			mod: func(c *Credential) { c.Driver.Class = "c1" }, wantReason: ReasonFieldInvalid},
		{name: "driver licence repeated class", kind: verify.KindDriverLicence,
			mod: func(c *Credential) { c.Driver.Class = "C1C1" }, wantReason: ReasonFieldInvalid},
		{name: "driver licence archive 11 digits", kind: verify.KindDriverLicence,
			mod: func(c *Credential) { c.Driver.ArchiveNumber = "11001234567" }, wantReason: ReasonFieldInvalid, wantCause: docnum.ErrLength},
		{name: "driver licence archive missing", kind: verify.KindDriverLicence,
			mod: func(c *Credential) { c.Driver.ArchiveNumber = "" }, wantReason: ReasonFieldMissing},
		// Vehicle licence: plate + VIN (check digit) + type.
		{name: "vehicle licence valid", kind: verify.KindVehicleLicence, wantNumber: testPlate},
		{name: "vehicle licence plate with separator", kind: verify.KindVehicleLicence, wantNumber: "京A12345",
			mod: func(c *Credential) { c.Number = "京A·12345" }},
		{name: "vehicle licence bad province", kind: verify.KindVehicleLicence,
			mod: func(c *Credential) { c.Number = "X A12345" }, wantReason: ReasonNumberInvalid},
		{name: "vehicle licence plate with O", kind: verify.KindVehicleLicence,
			mod: func(c *Credential) { c.Number = "京AO2345" }, wantReason: ReasonNumberInvalid, wantCause: docnum.ErrCharacter},
		{name: "vehicle licence VIN check digit", kind: verify.KindVehicleLicence,
			mod: func(c *Credential) { c.Vehicle.VIN = flipVINCheck(testVIN) }, wantReason: ReasonFieldInvalid, wantCause: docnum.ErrChecksum},
		{name: "vehicle licence missing type", kind: verify.KindVehicleLicence,
			mod: func(c *Credential) { c.Vehicle.Type = "" }, wantReason: ReasonFieldMissing},
		// Rules common to every kind.
		{name: "zero kind", kind: verify.KindIDCard, mod: func(c *Credential) { c.Kind = 0 }, wantReason: ReasonKindInvalid},
		{name: "no name", kind: verify.KindPassport, mod: func(c *Credential) { c.Holder.Name = "" }, wantReason: ReasonNameMissing},
		{name: "control char in address", kind: verify.KindIDCard, mod: func(c *Credential) { c.Holder.Address = "北京\n" }, wantReason: ReasonFieldInvalid},
		{name: "reversed validity", kind: verify.KindPassport,
			mod: func(c *Credential) { c.ValidUntil = date("2018-01-01") }, wantReason: ReasonValidityInvalid},
		{name: "no end date, not long-term", kind: verify.KindPassport,
			mod: func(c *Credential) { c.ValidUntil = verify.Date{} }, wantReason: ReasonValidityInvalid},
		{name: "long-term passport", kind: verify.KindPassport,
			mod: func(c *Credential) { c.LongTerm, c.ValidUntil = true, verify.Date{} }, wantReason: ReasonValidityInvalid},
		{name: "long-term id card", kind: verify.KindIDCard, wantNumber: holderID,
			mod: func(c *Credential) { c.LongTerm, c.ValidUntil = true, verify.Date{} }},
		{name: "long-term with end date", kind: verify.KindIDCard,
			mod: func(c *Credential) { c.LongTerm = true }, wantReason: ReasonValidityInvalid},
		{name: "impossible date", kind: verify.KindIDCard,
			mod: func(c *Credential) { c.ValidFrom = verify.Date{Year: 2015, Month: 2, Day: 30} }, wantReason: ReasonValidityInvalid},
		{name: "zero status", kind: verify.KindIDCard, mod: func(c *Credential) { c.Status = 0 }, wantReason: ReasonStatusInvalid},
		{name: "details of another kind", kind: verify.KindPassport,
			mod: func(c *Credential) { c.Driver = &DriverLicence{Class: "C1", ArchiveNumber: testArchive} }, wantReason: ReasonDetailsMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fixtureOf(tt.kind)
			if tt.mod != nil {
				if c.Household != nil {
					h := *c.Household
					c.Household = &h
				}
				if c.Driver != nil {
					d := *c.Driver
					c.Driver = &d
				}
				if c.Vehicle != nil {
					v := *c.Vehicle
					c.Vehicle = &v
				}
				tt.mod(&c)
			}
			holder := tt.holder
			if holder == "" {
				holder = holderID
			}
			got, err := Validate(c, holder, testNow)
			if diff := cmp.Diff(tt.wantReason, ReasonOf(err)); diff != "" {
				t.Fatalf("Validate(%v) reason mismatch (-want +got):\n%s\nerr: %v", c, diff, err)
			}
			if tt.wantReason != "" {
				if !errors.Is(err, ErrInvalidCredential) && tt.wantReason != ReasonKindInvalid {
					t.Errorf("error %v does not match ErrInvalidCredential", err)
				}
				if tt.wantCause != nil && !errors.Is(err, tt.wantCause) {
					t.Errorf("error %v does not wrap %v", err, tt.wantCause)
				}
				return
			}
			if got.Number != tt.wantNumber {
				t.Errorf("canonical number = %v, want %v", maskNumber(c.Kind, got.Number), maskNumber(c.Kind, tt.wantNumber))
			}
		})
	}
}

// xID's check character is X (computed with idcard.CheckChar).
var xID = withCheck("11010519800101990")

func idx(c byte) int {
	for i := range 11 {
		if "0123456789X"[i] == c {
			return i
		}
	}
	return 0
}

func lowerX(s string) string {
	if s[17] == 'X' {
		return s[:17] + "x"
	}
	return s
}

func flipVINCheck(v string) string {
	c := byte('0')
	if v[8] == '0' {
		c = '1'
	}
	return v[:8] + string(c) + v[9:]
}

func TestLicenceClass(t *testing.T) {
	for _, s := range []string{"A1", "A2", "A3", "B1", "B2", "C1", "C2", "C3", "C4", "C5", "C6", "D", "E", "F", "M", "N", "P", "C1E", "A1A2", "B2DEF"} {
		if !validLicenceClass(s) {
			t.Errorf("validLicenceClass(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "A", "A4", "B3", "C0", "C7", "G", "C1 E", "c1", "C1C1", "DD", "C１"} {
		if validLicenceClass(s) {
			t.Errorf("validLicenceClass(%q) = true, want false", s)
		}
	}
}
