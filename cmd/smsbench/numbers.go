package main

import "strconv"

// areaCodes are 100 real US area codes. Each with the exchange reserved for
// fiction, 555-0100..0199, gives 10,000 distinct numbers that libphonenumber
// still holds valid (docs/contract.md §3), so /send-reminder accepts them.
var areaCodes = [100]string{
	"201", "202", "203", "205", "206", "207", "208", "209", "210", "212",
	"213", "214", "215", "216", "217", "218", "219", "224", "225", "228",
	"229", "231", "234", "239", "240", "248", "251", "252", "253", "254",
	"256", "260", "262", "267", "269", "270", "276", "281", "301", "302",
	"303", "304", "305", "307", "308", "309", "310", "312", "313", "314",
	"315", "316", "317", "318", "319", "320", "321", "323", "325", "330",
	"331", "334", "336", "337", "339", "347", "351", "352", "360", "361",
	"385", "386", "401", "402", "404", "405", "406", "407", "408", "409",
	"410", "412", "413", "414", "415", "417", "419", "423", "424", "425",
	"430", "432", "434", "435", "440", "442", "443", "458", "469", "470",
}

// fictionalNumbers is how many valid fictional numbers patientNumber has.
const fictionalNumbers = len(areaCodes) * 100

// patientNumber returns the i-th patient number in E.164 (12 characters).
// The first 10,000 are an area code with 555-01xx, starting at
// +12015550100. Beyond them (first contact needs a new number per request)
// they lie in area code 555, which is unassigned: still fictional and still
// 12 characters, but not valid for libphonenumber, which a Twilio sender
// need not be.
func patientNumber(i int) string {
	if i < fictionalNumbers {
		line := strconv.Itoa(100 + i%100)
		return "+1" + areaCodes[i/100] + "5550" + line
	}
	n := strconv.Itoa(i - fictionalNumbers)
	for len(n) < 7 {
		n = "0" + n
	}
	return "+1555" + n[len(n)-7:]
}

// channelOf is the patient's channel (and user) id: the E.164 digits.
func channelOf(number string) string { return number[1:] }
