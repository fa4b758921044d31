package docnum_test

import (
	"errors"
	"fmt"

	"github.com/trustid/trustid/verify/docnum"
)

func ExampleParsePlate() {
	p, err := docnum.ParsePlate("沪a·d12345")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Class(), p.Power())
	fmt.Println(p)          // masked for logs
	fmt.Println(p.Number()) // canonical, for storage

	_, err = docnum.ParsePlate("京O12345")
	fmt.Println(errors.Is(err, docnum.ErrCharacter), err)
	// Output:
	// new-energy small pure electric
	// 沪A·****45
	// 沪AD12345
	// true docnum: number plate: character not allowed at position 2
}

func ExampleParseVIN() {
	v, err := docnum.ParseVIN("1M8GDM9AXKP042788")
	if err != nil {
		fmt.Println(err)
		return
	}
	year, _ := v.ModelYear(2000)
	fmt.Println(v, v.WMI(), string(v.CheckDigit()), year, string(v.PlantCode()))

	_, err = docnum.ParseVIN("1M8GDM9A1KP042788")
	fmt.Println(errors.Is(err, docnum.ErrChecksum), err)

	cd, _ := docnum.VINCheckDigit("1M8GDM9A1KP042788")
	fmt.Printf("%c\n", cd)
	// Output:
	// 1M8GDM9AXKP****** 1M8 X 1989 P
	// true docnum: VIN: check character mismatch at position 9
	// X
}

func ExampleParsePassport() {
	p, err := docnum.ParsePassport("ea1234567")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v %s\n", p, p.Series())
	// Output: EA*****67 ordinary e-passport (E)
}

func ExampleValidate() {
	for _, in := range []struct {
		kind docnum.Format
		s    string
	}{
		{docnum.FormatHKMacaoResidentsPermit, "H1234567800"},
		{docnum.FormatTaiwanResidentsPermit, "1234567801(B)"},
		{docnum.FormatDrivingLicenceArchive, "11010123456"},
	} {
		fmt.Println(in.kind, docnum.Validate(in.kind, in.s))
	}
	// Output:
	// HK/Macao residents' permit <nil>
	// Taiwan residents' permit <nil>
	// driving licence archive number docnum: driving licence archive number: wrong length
}
