package demodata

import (
	"math/rand/v2"
	"strconv"
)

// Person is a made-up person: a leader, a steward, an officer or an enterprise's contact.
type Person struct {
	Name  string
	Phone string
}

// People returns n people with distinct names and distinct mobile numbers.
func People(r *rand.Rand, n int) []Person {
	names, phones := map[string]bool{}, map[string]bool{}
	out := make([]Person, n)
	for i := range out {
		out[i].Name = unique(names, "person names", func() string { return newName(r).han })
		out[i].Phone = unique(phones, "mobile numbers", func() string { return mobile(r) })
	}
	return out
}

// syllable is a character of a name with its pinyin (without tones, ü written v), for e-mail
// addresses.
type syllable struct {
	han, py string
}

type surname struct {
	syllable
	weight int // roughly tenths of a percent of the population
}

// surnames are the common ones, the ten most common weighted as in the census, with the names
// frequent around Suzhou (顾, 陆, 钱, 沈 …) a little more common than nationally.
var surnames = newTable([]surname{
	{syllable{"王", "wang"}, 71}, {syllable{"李", "li"}, 70}, {syllable{"张", "zhang"}, 67},
	{syllable{"刘", "liu"}, 54}, {syllable{"陈", "chen"}, 53}, {syllable{"杨", "yang"}, 31},
	{syllable{"黄", "huang"}, 22}, {syllable{"赵", "zhao"}, 20}, {syllable{"吴", "wu"}, 20},
	{syllable{"周", "zhou"}, 20}, {syllable{"徐", "xu"}, 16}, {syllable{"孙", "sun"}, 14},
	{syllable{"马", "ma"}, 12}, {syllable{"朱", "zhu"}, 13}, {syllable{"胡", "hu"}, 11},
	{syllable{"郭", "guo"}, 11}, {syllable{"何", "he"}, 10}, {syllable{"林", "lin"}, 10},
	{syllable{"高", "gao"}, 10}, {syllable{"罗", "luo"}, 9}, {syllable{"郑", "zheng"}, 9},
	{syllable{"梁", "liang"}, 8}, {syllable{"谢", "xie"}, 7}, {syllable{"宋", "song"}, 6},
	{syllable{"唐", "tang"}, 6}, {syllable{"许", "xu"}, 6}, {syllable{"邓", "deng"}, 5},
	{syllable{"冯", "feng"}, 5}, {syllable{"韩", "han"}, 5}, {syllable{"曹", "cao"}, 5},
	{syllable{"曾", "zeng"}, 5}, {syllable{"彭", "peng"}, 5}, {syllable{"蔡", "cai"}, 4},
	{syllable{"潘", "pan"}, 4}, {syllable{"田", "tian"}, 4}, {syllable{"董", "dong"}, 4},
	{syllable{"袁", "yuan"}, 4}, {syllable{"于", "yu"}, 4}, {syllable{"余", "yu"}, 4},
	{syllable{"叶", "ye"}, 4}, {syllable{"蒋", "jiang"}, 4}, {syllable{"杜", "du"}, 4},
	{syllable{"苏", "su"}, 3}, {syllable{"魏", "wei"}, 3}, {syllable{"程", "cheng"}, 3},
	{syllable{"吕", "lv"}, 3}, {syllable{"丁", "ding"}, 3}, {syllable{"沈", "shen"}, 5},
	{syllable{"顾", "gu"}, 5}, {syllable{"陆", "lu"}, 5}, {syllable{"钱", "qian"}, 4},
	{syllable{"姚", "yao"}, 3}, {syllable{"范", "fan"}, 3}, {syllable{"汪", "wang"}, 3},
	{syllable{"任", "ren"}, 3}, {syllable{"姜", "jiang"}, 3}, {syllable{"方", "fang"}, 3},
	{syllable{"石", "shi"}, 3}, {syllable{"金", "jin"}, 3}, {syllable{"倪", "ni"}, 2},
	{syllable{"邹", "zou"}, 2}, {syllable{"秦", "qin"}, 2}, {syllable{"严", "yan"}, 2},
	{syllable{"戴", "dai"}, 2}, {syllable{"夏", "xia"}, 2}, {syllable{"钟", "zhong"}, 2},
	{syllable{"陶", "tao"}, 2}, {syllable{"贾", "jia"}, 2}, {syllable{"葛", "ge"}, 2},
	{syllable{"施", "shi"}, 2}, {syllable{"俞", "yu"}, 2}, {syllable{"薛", "xue"}, 2},
	{syllable{"浦", "pu"}, 1}, {syllable{"缪", "miao"}, 1},
}, func(s surname) int { return s.weight })

// maleGiven and femaleGiven are characters common in given names.
var maleGiven = []syllable{
	{"伟", "wei"}, {"强", "qiang"}, {"军", "jun"}, {"磊", "lei"}, {"洋", "yang"}, {"勇", "yong"},
	{"杰", "jie"}, {"涛", "tao"}, {"明", "ming"}, {"超", "chao"}, {"斌", "bin"}, {"鹏", "peng"},
	{"辉", "hui"}, {"刚", "gang"}, {"浩", "hao"}, {"宇", "yu"}, {"俊", "jun"}, {"峰", "feng"},
	{"建", "jian"}, {"国", "guo"}, {"华", "hua"}, {"平", "ping"}, {"志", "zhi"}, {"文", "wen"},
	{"海", "hai"}, {"波", "bo"}, {"亮", "liang"}, {"龙", "long"}, {"飞", "fei"}, {"晨", "chen"},
	{"凯", "kai"}, {"健", "jian"}, {"毅", "yi"}, {"东", "dong"}, {"林", "lin"}, {"春", "chun"},
	{"卫", "wei"}, {"晓", "xiao"}, {"永", "yong"}, {"新", "xin"}, {"成", "cheng"}, {"宏", "hong"},
	{"振", "zhen"}, {"立", "li"}, {"德", "de"}, {"荣", "rong"}, {"嘉", "jia"}, {"昊", "hao"},
	{"博", "bo"}, {"哲", "zhe"}, {"远", "yuan"}, {"鑫", "xin"}, {"子", "zi"}, {"睿", "rui"},
	{"轩", "xuan"}, {"旭", "xu"}, {"泽", "ze"}, {"铭", "ming"}, {"诚", "cheng"}, {"良", "liang"},
}

var femaleGiven = []syllable{
	{"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"}, {"丽", "li"}, {"艳", "yan"},
	{"娟", "juan"}, {"霞", "xia"}, {"燕", "yan"}, {"玲", "ling"}, {"婷", "ting"}, {"雪", "xue"},
	{"慧", "hui"}, {"琳", "lin"}, {"颖", "ying"}, {"倩", "qian"}, {"洁", "jie"}, {"萍", "ping"},
	{"红", "hong"}, {"梅", "mei"}, {"莉", "li"}, {"佳", "jia"}, {"欣", "xin"}, {"怡", "yi"},
	{"悦", "yue"}, {"雯", "wen"}, {"晓", "xiao"}, {"思", "si"}, {"雨", "yu"}, {"婉", "wan"},
	{"秀", "xiu"}, {"英", "ying"}, {"华", "hua"}, {"兰", "lan"}, {"蕾", "lei"}, {"璐", "lu"},
	{"瑶", "yao"}, {"晶", "jing"}, {"文", "wen"}, {"月", "yue"}, {"春", "chun"}, {"丹", "dan"},
	{"露", "lu"}, {"冰", "bing"}, {"雅", "ya"}, {"琪", "qi"}, {"珊", "shan"}, {"蓉", "rong"},
	{"薇", "wei"}, {"楠", "nan"}, {"诗", "shi"}, {"梦", "meng"}, {"云", "yun"}, {"清", "qing"},
}

// name is a made-up person's name in characters and in the pieces of its pinyin.
type name struct {
	han             string
	family, givenPy string
}

// newName returns a name of a surname and one (a third of the time) or two given characters.
func newName(r *rand.Rand) name {
	s := surnames.pick(r)
	given := maleGiven
	if r.IntN(2) == 0 {
		given = femaleGiven
	}
	g1 := pick(r, given)
	n := name{han: s.han + g1.han, family: s.py, givenPy: g1.py}
	if r.IntN(3) > 0 {
		g2 := pick(r, given)
		for g2.han == g1.han {
			g2 = pick(r, given)
		}
		n.han += g2.han
		n.givenPy += g2.py
	}
	return n
}

// emailLocal returns the part of an e-mail address before the @ as people at Chinese companies
// commonly have it: wangjing, jing.wang or wangjing08.
func (n name) emailLocal(r *rand.Rand) string {
	switch k := r.IntN(20); {
	case k < 12:
		return n.family + n.givenPy
	case k < 17:
		return n.givenPy + "." + n.family
	default:
		return n.family + n.givenPy + strconv.Itoa(between(r, 10, 99))
	}
}
