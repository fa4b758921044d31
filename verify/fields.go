package verify

// compareFields compares every claimed field with the record and reports, through fail
// and review, the reasons the policy gives them.
//
// The identity comes first: when the name is missing or does not match (Name or
// LatinName), only those reasons are reported and no other field is compared or
// reported (Fields holds Name and LatinName only). Otherwise an applicant who knows a
// document number could learn, field by field, what someone else's record holds.
func (c *Checker) compareFields(cl *Claim, rec *Record, fail, review func(Reason)) Fields {
	var f Fields
	var traditional bool
	f.Name, traditional = matchName(cl.Name, rec.Name, c.policy.TraditionalSimplified)
	f.LatinName = MatchLatinName(cl.LatinName, rec.LatinName)

	// A name the record lacks cannot be checked; it is acceptable only when the other
	// name matched (a foreigner's record may have no Chinese name, a Chinese ID card
	// has no Latin name). Other fields the record lacks are not compared.
	nameOK := f.Name == FieldMatch || f.Name == FieldLenientMatch
	latinOK := f.LatinName == FieldMatch || f.LatinName == FieldLenientMatch
	identity := true
	if f.Name == FieldNotProvided && f.LatinName == FieldNotProvided {
		fail(ReasonNameMissing)
		identity = false
	}
	if f.Name == FieldMismatch || f.Name == FieldNotInRecord && !latinOK {
		fail(ReasonNameMismatch)
		identity = false
	}
	if f.LatinName == FieldMismatch || f.LatinName == FieldNotInRecord && !nameOK {
		fail(ReasonLatinNameMismatch)
		identity = false
	}
	if !identity {
		return f
	}

	lenient := func(r Reason) {
		switch c.policy.LenientName {
		case ActionReview:
			review(r)
		case ActionFail:
			fail(r)
		}
	}
	if traditional {
		lenient(ReasonNameTraditionalSimplified)
	}
	if f.Name == FieldLenientMatch && !traditional || f.LatinName == FieldLenientMatch {
		lenient(ReasonNameLenientMatch)
	}

	f.Gender = matchExact(cl.Gender, rec.Gender)
	f.BirthDate = matchExact(cl.BirthDate, rec.BirthDate)
	f.Nationality = matchNormalized(cl.Nationality, rec.Nationality, NormalizeNumber)
	f.Ethnicity = matchNormalized(cl.Ethnicity, rec.Ethnicity, normalizeEthnicity)
	f.Address = MatchAddress(cl.Address, rec.Address)
	mismatch := func(fr FieldResult, r Reason) {
		if fr == FieldMismatch {
			fail(r)
		}
	}
	mismatch(f.Gender, ReasonGenderMismatch)
	mismatch(f.BirthDate, ReasonBirthDateMismatch)
	mismatch(f.Nationality, ReasonNationalityMismatch)
	mismatch(f.Ethnicity, ReasonEthnicityMismatch)
	if f.Address == FieldMismatch {
		switch c.policy.AddressMismatch {
		case ActionReview:
			review(ReasonAddressMismatch)
		case ActionFail:
			fail(ReasonAddressMismatch)
		}
	}
	return f
}
