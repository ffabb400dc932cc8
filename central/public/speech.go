package public

import (
	"strings"

	"github.com/okno-mfc/okno/domain"
)

// Speech: what the hall board says on a call, in the office's language,
// the number in words ("Талон А сто один, окно три"), so every voice of
// the browser's speech synthesis reads it the same way.

var numberWords = map[string]struct{ units, teens, tens, hundreds [10]string }{
	"ru": {
		units:    [10]string{"ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"},
		teens:    [10]string{"десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"},
		tens:     [10]string{"", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"},
		hundreds: [10]string{"", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"},
	},
	"uk": {
		units:    [10]string{"нуль", "один", "два", "три", "чотири", "п'ять", "шість", "сім", "вісім", "дев'ять"},
		teens:    [10]string{"десять", "одинадцять", "дванадцять", "тринадцять", "чотирнадцять", "п'ятнадцять", "шістнадцять", "сімнадцять", "вісімнадцять", "дев'ятнадцять"},
		tens:     [10]string{"", "", "двадцять", "тридцять", "сорок", "п'ятдесят", "шістдесят", "сімдесят", "вісімдесят", "дев'яносто"},
		hundreds: [10]string{"", "сто", "двісті", "триста", "чотириста", "п'ятсот", "шістсот", "сімсот", "вісімсот", "дев'ятсот"},
	},
	"en": {
		units:    [10]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"},
		teens:    [10]string{"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"},
		tens:     [10]string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"},
		hundreds: [10]string{"", "one hundred", "two hundred", "three hundred", "four hundred", "five hundred", "six hundred", "seven hundred", "eight hundred", "nine hundred"},
	},
}

// thousandWords are the word for a thousand (one, two to four, five and
// more: the Slavic forms) and the feminine one and two it takes.
var thousandWords = map[string]struct {
	forms    [3]string
	one, two string
}{
	"ru": {[3]string{"тысяча", "тысячи", "тысяч"}, "одна", "две"},
	"uk": {[3]string{"тисяча", "тисячі", "тисяч"}, "одна", "дві"},
}

// numberInWords writes 0 ≤ n ≤ 999999 in words in lang (en for another
// language) — a window's ticket numbers are in its thousand, "A-3017":
// "три тысячи семнадцать"; anything else in digits.
func numberInWords(lang string, n int) string {
	if n < 0 || n > 999999 {
		return itoa(n)
	}
	if n < 1000 {
		return hundredsInWords(lang, n)
	}
	th, rest := n/1000, n%1000
	var head string
	if tw, ok := thousandWords[lang]; ok {
		words := strings.Fields(hundredsInWords(lang, th))
		// одна тысяча, две тысячи — but одиннадцать, двенадцать тысяч
		if th%100 < 10 || th%100 >= 20 {
			switch th % 10 {
			case 1:
				words[len(words)-1] = tw.one
			case 2:
				words[len(words)-1] = tw.two
			}
		}
		form := 2
		switch {
		case th%100 >= 10 && th%100 < 20:
		case th%10 == 1:
			form = 0
		case th%10 >= 2 && th%10 <= 4:
			form = 1
		}
		head = strings.Join(append(words, tw.forms[form]), " ")
	} else {
		head = hundredsInWords("en", th) + " thousand"
	}
	if rest == 0 {
		return head
	}
	return head + " " + hundredsInWords(lang, rest)
}

// hundredsInWords writes 0 ≤ n ≤ 999 in words in lang (en for another
// language).
func hundredsInWords(lang string, n int) string {
	w, ok := numberWords[lang]
	if !ok {
		w = numberWords["en"]
	}
	if n == 0 {
		return w.units[0]
	}
	var parts []string
	if h := n / 100; h > 0 {
		parts = append(parts, w.hundreds[h])
	}
	switch r := n % 100; {
	case r >= 20:
		parts = append(parts, w.tens[r/10])
		if r%10 > 0 {
			parts = append(parts, w.units[r%10])
		}
	case r >= 10:
		parts = append(parts, w.teens[r-10])
	case r > 0:
		parts = append(parts, w.units[r])
	}
	return strings.Join(parts, " ")
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// letterNames say a ticket prefix's letters the way a voice of the
// language reads them as letters, not as a syllable.
var letterNames = map[string]map[rune]string{
	"ru": {
		'A': "А", 'B': "Бэ", 'C': "Цэ", 'D': "Дэ", 'E': "Е", 'F': "Эф", 'G': "Гэ", 'H': "Аш", 'I': "И", 'J': "Йот",
		'K': "Ка", 'L': "Эль", 'M': "Эм", 'N': "Эн", 'O': "О", 'P': "Пэ", 'Q': "Ку", 'R': "Эр", 'S': "Эс", 'T': "Тэ",
		'U': "У", 'V': "Вэ", 'W': "Дубль-вэ", 'X': "Икс", 'Y': "Игрек", 'Z': "Зэт",
		'Б': "Бэ", 'В': "Вэ", 'Г': "Гэ", 'Д': "Дэ", 'Ж': "Жэ", 'З': "Зэ", 'Й': "И краткое", 'К': "Ка", 'Л': "Эль",
		'М': "Эм", 'Н': "Эн", 'П': "Пэ", 'Р': "Эр", 'С': "Эс", 'Т': "Тэ", 'Ф': "Эф", 'Х': "Ха", 'Ц': "Цэ",
		'Ч': "Че", 'Ш': "Ша", 'Щ': "Ща",
	},
	"uk": {
		'A': "А", 'B': "Бе", 'C': "Це", 'D': "Де", 'E': "Е", 'F': "Еф", 'G': "Ге", 'H': "Аш", 'I': "І", 'J': "Йот",
		'K': "Ка", 'L': "Ель", 'M': "Ем", 'N': "Ен", 'O': "О", 'P': "Пе", 'Q': "Кю", 'R': "Ер", 'S': "Ес", 'T': "Те",
		'U': "У", 'V': "Ве", 'W': "Дубль-ве", 'X': "Ікс", 'Y': "Ігрек", 'Z': "Зет",
		'Б': "Бе", 'В': "Ве", 'Г': "Ге", 'Ґ': "Ґе", 'Д': "Де", 'Ж': "Же", 'З': "Зе", 'Й': "Йот", 'К': "Ка", 'Л': "Ель",
		'М': "Ем", 'Н': "Ен", 'П': "Пе", 'Р': "Ер", 'С': "Ес", 'Т': "Те", 'Ф': "Еф", 'Х': "Ха", 'Ц': "Це",
		'Ч': "Че", 'Ш': "Ша", 'Щ': "Ща",
	},
}

// spokenCall is what the board says for ticket number called to window:
// "Талон А сто один, окно три".
func spokenCall(lang, number string, window int) string {
	var prefix []string
	n := 0
	if t, err := domain.ParseTicketNumber(number); err == nil {
		for _, r := range t.Prefix {
			if name, ok := letterNames[lang][r]; ok {
				prefix = append(prefix, name)
			} else {
				prefix = append(prefix, string(r))
			}
		}
		n = t.N
	} else {
		return text(lang, "speech.ticket") + " " + number + ", " + text(lang, "speech.window") + " " + numberInWords(lang, window)
	}
	return text(lang, "speech.ticket") + " " + strings.Join(prefix, " ") + " " + numberInWords(lang, n) + ", " +
		text(lang, "speech.window") + " " + numberInWords(lang, window)
}
