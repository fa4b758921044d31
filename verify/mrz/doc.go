// Package mrz parses and verifies the machine-readable zones (MRZ) of
// travel documents as specified by ICAO Doc 9303, Machine Readable Travel
// Documents, 8th edition (2021):
//
//   - Part 3: common specifications: character set (A-Z, 0-9 and the
//     filler '<'), names, dates and the check digit (weights 7, 3, 1);
//   - Part 4: TD3 passports, 2 lines of 44 characters, document code P;
//   - Part 5: TD1 cards, 3 lines of 30, document codes starting A, C or I;
//   - Part 6: TD2 documents, 2 lines of 36, document codes starting A, C or I;
//   - Part 7: visas, MRV-A (2 lines of 44) and MRV-B (2 lines of 36),
//     document code V.
//
// [Parse] takes the zone as one string ("\n" or "\r\n" between lines; line
// breaks at the end are ignored, a blank line elsewhere is an error) and
// [ParseLines] takes it already split.
// The format is chosen from the line count, the line length and the first
// character of the document code. On success every check digit has been
// verified: document number (including long TD1/TD2 numbers that overflow
// into the optional data field), date of birth, date of expiry, the TD3
// personal number and the composite check digit (TD1, TD2, TD3; visas have
// none). [CheckDigit] computes a check digit on its own.
//
// # Dates and centuries
//
// The zone holds two-digit years; they are resolved against a reference
// time passed by the caller (normally the moment of reading; inject it, do
// not rely on the clock):
//
//   - date of birth: 20YY, unless that date is after the reference date, in
//     which case 19YY. With a reference in 2026, 650101 is 1965-01-01 and
//     250101 is 2025-01-01. A holder aged 100 or more is resolved a century
//     too late; the zone alone cannot tell.
//   - date of expiry: the one year ending in YY within
//     [year(ref)-50, year(ref)+49]. With a reference in 2026, 300101 is
//     2030-01-01 and 760101 is 1976-01-01.
//
// Dates are returned as midnight UTC. Impossible dates (month 13, 30
// February) are rejected with [ErrDate]. Doc 9303 Part 3 allows an unknown
// day or month to be written with fillers; this package rejects such dates
// with [ErrDate] rather than invent a value. A date of birth after the date
// of expiry is also rejected. Parsing does not reject an expired document;
// use [Document.Expired].
//
// # Strictness
//
// Nothing is corrected: no trimming of spaces, no lower case, no mapping of
// the letter O to the digit 0 or similar OCR confusions. Such input fails
// with an [*Error] that names the field, line and column. Errors match the
// sentinels [ErrFormat], [ErrCharacter], [ErrCheckDigit], [ErrComposite],
// [ErrDate] and [ErrField] with errors.Is. [ErrComposite] is returned only
// when every individual check digit is correct, so a composite-only
// failure is distinguishable. Field checks run in a fixed order (shape,
// characters, check digits, composite, then field values), and the first
// failure is reported.
//
// [SuggestCorrections] is a separate helper for operator-assisted repair:
// it lists readings that differ only by letter/digit OCR confusions (O/0,
// I/1, S/5, ...) and pass every check. Its candidates are guesses to be
// confirmed by a person, never accepted automatically.
//
// Names are split at the first "<<" into the primary identifier (surname)
// and the secondary identifier (given names); a single '<' inside an
// identifier becomes a space. Truncated names are returned as they are.
//
// # Security
//
// Guaranteed: the check digits are verified exactly, errors never contain
// any content of the zone (only field names and positions), and
// [Document] masks the document number, names and date of birth and omits
// optional data in String, in every fmt verb (it implements fmt.Formatter),
// in log/slog (it implements slog.LogValuer), in encoding/json (MarshalJSON)
// and in text encoders such as encoding/xml (MarshalText). The masked JSON is
// deliberately lossy and does not unmarshal.
//
// Not guaranteed: check digits detect reading errors, not forgery; anyone
// can compute them. A valid zone proves nothing about the document's
// authenticity: that needs the chip (Doc 9303 Parts 10-11) or the issuing
// authority's registry. The exported fields of Document are unmasked: a
// program that reads them, or an encoder that walks them without calling
// methods (encoding/gob), sees the full values.
//
// Not implemented: the Mainland China Exit-Entry Permit for Travelling to
// and from Hong Kong and Macao (card form), whose 3-line zone is not
// defined by Doc 9303 and for which no authoritative layout was available.
// Such a zone gets no special treatment: it parses only if it happens to
// satisfy every TD1 rule.
package mrz
