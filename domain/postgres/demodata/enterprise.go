package demodata

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"steward/domain"
)

// Streets are the district's sub-districts (街道); every enterprise is in one of them.
var Streets = []string{
	"娄葑街道", "斜塘街道", "唯亭街道", "胜浦街道", "金鸡湖街道", "湖西街道", "湖东街道", "月亮湾街道",
}

// Tags are the labels enterprises carry, in the order they are listed on an enterprise.
var Tags = []string{"上市公司", "独角兽", "小巨人", "专精特新", "瞪羚企业", "高新技术企业", "规上企业", "外资企业"}

// district is the prefix of every address in the district.
const district = "苏州工业园区"

// product is something a manufacturer makes, with the unit its yearly output is counted in.
type product struct {
	name, unit string
}

// trade is the line of business (行业词) in an enterprise's registered name.
type trade struct {
	word     string // as it appears in the name
	short    string // what goes after the trade name in a project's name
	industry string // GB/T 4754 section
	weight   int
	// products are what the enterprise makes; nil for trades that make nothing.
	products []product
}

// trades weight manufacturing most, as in an industrial park, then software and information
// services, research and technical services, trade, logistics, construction, real estate and
// utilities. No trade's word contains another's, except where both are in the same industry
// (物流 and 冷链物流), so a word found in a name tells its industry.
var trades = newTable([]trade{
	{"精密机械", "精密", "C", 9, []product{{"精密数控机床", "台"}, {"精密传动部件", "万件"}, {"工业自动化设备", "台套"}}},
	{"新材料", "新材", "C", 8, []product{{"高性能复合材料", "吨"}, {"功能性薄膜材料", "万平方米"}, {"电子级新材料", "吨"}}},
	{"生物医药", "生物", "C", 7, []product{{"口服固体制剂", "亿片"}, {"生物制剂", "万支"}, {"注射剂", "万支"}}},
	{"智能装备", "智能", "C", 8, []product{{"智能装备", "台套"}, {"工业机器人", "台"}, {"智能物流装备", "套"}}},
	{"半导体", "半导体", "C", 5, []product{{"半导体功率器件", "亿只"}, {"12英寸晶圆", "万片"}, {"芯片封装测试", "亿颗"}}},
	{"新能源科技", "新能源", "C", 6, []product{{"新能源汽车零部件", "万套"}, {"锂电池模组", "万套"}, {"储能系统", "兆瓦时"}}},
	{"电子科技", "电子", "C", 9, []product{{"精密电子元器件", "亿只"}, {"柔性电路板", "万平方米"}, {"消费电子结构件", "万件"}}},
	{"食品", "食品", "C", 4, []product{{"休闲食品", "吨"}, {"烘焙食品", "吨"}, {"速冻调理食品", "吨"}}},
	{"医疗器械", "医疗", "C", 5, []product{{"一次性医用耗材", "万件"}, {"体外诊断试剂", "万人份"}, {"医学影像设备", "台"}}},
	{"汽车零部件", "汽车部件", "C", 6, []product{{"新能源汽车零部件", "万套"}, {"汽车电子控制模块", "万件"}, {"汽车精密铸件", "吨"}}},
	{"光电科技", "光电", "C", 4, []product{{"LED显示模组", "万片"}, {"光电传感器", "万只"}}},
	{"精密模具", "模具", "C", 4, []product{{"精密注塑模具", "套"}, {"精密冲压件", "万件"}}},
	{"电气", "电气", "C", 4, []product{{"智能配电设备", "台"}, {"高低压开关柜", "台"}}},
	{"纺织", "纺织", "C", 2, []product{{"功能性面料", "万米"}, {"高档纺织品", "万米"}}},
	{"化工", "化工", "C", 2, []product{{"电子化学品", "吨"}, {"水性涂料", "吨"}}},
	{"光学", "光学", "C", 3, []product{{"光学镜头", "万只"}, {"精密光学元件", "万片"}}},
	{"机器人", "机器人", "C", 3, []product{{"协作机器人", "台"}, {"服务机器人", "台"}}},
	{"环保设备", "环保", "C", 3, []product{{"污水处理设备", "套"}, {"废气治理设备", "套"}}},
	{"包装材料", "包装", "C", 2, []product{{"环保包装材料", "吨"}, {"纸制品包装", "万只"}}},
	{"集成电路", "集成电路", "C", 3, []product{{"集成电路芯片", "万片"}, {"芯片封装测试", "亿颗"}}},
	{"塑胶", "塑胶", "C", 3, []product{{"精密塑胶件", "万件"}, {"改性塑料", "吨"}}},
	{"软件", "软件", "I", 9, nil},
	{"信息技术", "信息", "I", 7, nil},
	{"网络科技", "网络", "I", 5, nil},
	{"数据科技", "数据", "I", 3, nil},
	{"通信技术", "通信", "I", 3, nil},
	{"人工智能科技", "人工智能", "I", 2, nil},
	{"检测技术", "检测", "M", 5, nil},
	{"工程设计", "设计", "M", 3, nil},
	{"医药研发", "医药研发", "M", 3, nil},
	{"生物技术", "生物技术", "M", 3, nil},
	{"贸易", "贸易", "F", 4, nil},
	{"商贸", "商贸", "F", 3, nil},
	{"电子商务", "电商", "F", 2, nil},
	{"物流", "物流", "G", 4, nil},
	{"冷链物流", "冷链", "G", 1, nil},
	{"国际货运代理", "货代", "G", 2, nil},
	{"运输", "运输", "G", 2, nil},
	{"建设工程", "建设", "E", 3, nil},
	{"建筑工程", "建筑", "E", 2, nil},
	{"机电安装工程", "安装", "E", 1, nil},
	{"装饰工程", "装饰", "E", 1, nil},
	{"房地产开发", "置地", "K", 2, nil},
	{"置业", "置业", "K", 2, nil},
	{"物业管理", "物业", "K", 1, nil},
	{"热电", "热电", "D", 1, nil},
	{"燃气", "燃气", "D", 1, nil},
	{"水务", "水务", "D", 1, nil},
	{"光伏电力", "光伏", "D", 1, nil},
	{"企业管理", "管理", "L", 2, nil},
	{"人力资源", "人力", "L", 2, nil},
	{"会展服务", "会展", "L", 1, nil},
	{"融资租赁", "租赁", "J", 1, nil},
	{"酒店管理", "酒店", "H", 1, nil},
	{"环境治理", "环境", "N", 1, nil},
	{"园林绿化", "园林", "N", 1, nil},
	{"文化传媒", "传媒", "R", 1, nil},
}, func(t trade) int { return t.weight })

// tradeIn returns the trade whose word is in the registered name, preferring the longest, and
// false when there is none.
func tradeIn(name string) (trade, bool) {
	var best trade
	for _, t := range trades.items {
		if strings.Contains(name, t.word) && len(t.word) > len(best.word) {
			best = t
		}
	}
	return best, best.word != ""
}

// tradeNameFirst and tradeNameSecond are the characters trade names (字号) are made of.
var tradeNameFirst = []syllable{
	{"华", "hua"}, {"恒", "heng"}, {"新", "xin"}, {"金", "jin"}, {"宏", "hong"}, {"科", "ke"},
	{"博", "bo"}, {"瑞", "rui"}, {"德", "de"}, {"嘉", "jia"}, {"鑫", "xin"}, {"汇", "hui"},
	{"中", "zhong"}, {"天", "tian"}, {"亿", "yi"}, {"欣", "xin"}, {"东", "dong"}, {"正", "zheng"},
	{"信", "xin"}, {"永", "yong"}, {"盛", "sheng"}, {"海", "hai"}, {"长", "chang"}, {"凯", "kai"},
	{"联", "lian"}, {"通", "tong"}, {"力", "li"}, {"创", "chuang"}, {"晶", "jing"}, {"明", "ming"},
	{"高", "gao"}, {"隆", "long"}, {"昌", "chang"}, {"泰", "tai"}, {"宝", "bao"}, {"锦", "jin"},
	{"富", "fu"}, {"佳", "jia"}, {"裕", "yu"}, {"顺", "shun"}, {"润", "run"}, {"立", "li"},
	{"远", "yuan"}, {"星", "xing"}, {"腾", "teng"}, {"思", "si"}, {"英", "ying"}, {"维", "wei"},
	{"安", "an"}, {"同", "tong"}, {"诺", "nuo"}, {"卓", "zhuo"}, {"迈", "mai"}, {"启", "qi"},
	{"众", "zhong"}, {"协", "xie"}, {"友", "you"}, {"万", "wan"}, {"美", "mei"}, {"云", "yun"},
	{"亚", "ya"}, {"捷", "jie"}, {"苏", "su"}, {"吴", "wu"}, {"鸿", "hong"}, {"兴", "xing"},
}

var tradeNameSecond = []syllable{
	{"达", "da"}, {"源", "yuan"}, {"泰", "tai"}, {"信", "xin"}, {"创", "chuang"}, {"盛", "sheng"},
	{"通", "tong"}, {"威", "wei"}, {"力", "li"}, {"华", "hua"}, {"科", "ke"}, {"宇", "yu"},
	{"丰", "feng"}, {"海", "hai"}, {"鼎", "ding"}, {"耀", "yao"}, {"嘉", "jia"}, {"恒", "heng"},
	{"瑞", "rui"}, {"凯", "kai"}, {"祥", "xiang"}, {"昌", "chang"}, {"隆", "long"}, {"翔", "xiang"},
	{"远", "yuan"}, {"成", "cheng"}, {"特", "te"}, {"迪", "di"}, {"锐", "rui"}, {"森", "sen"},
	{"腾", "teng"}, {"辰", "chen"}, {"晟", "sheng"}, {"邦", "bang"}, {"正", "zheng"}, {"德", "de"},
	{"诚", "cheng"}, {"讯", "xun"}, {"维", "wei"}, {"康", "kang"}, {"普", "pu"}, {"弘", "hong"},
	{"峰", "feng"}, {"驰", "chi"}, {"帆", "fan"}, {"博", "bo"}, {"立", "li"}, {"奥", "ao"},
	{"杰", "jie"}, {"润", "run"}, {"欣", "xin"}, {"阳", "yang"}, {"辉", "hui"}, {"益", "yi"},
	{"美", "mei"}, {"明", "ming"}, {"宏", "hong"}, {"智", "zhi"}, {"拓", "tuo"}, {"越", "yue"},
	{"合", "he"}, {"晶", "jing"}, {"捷", "jie"}, {"安", "an"},
}

// tradeName returns a two-character trade name (字号) with its pinyin.
func tradeName(r *rand.Rand) syllable {
	a, b := pick(r, tradeNameFirst), pick(r, tradeNameSecond)
	for a.han == b.han {
		b = pick(r, tradeNameSecond)
	}
	return syllable{a.han + b.han, a.py + b.py}
}

// roadsNS run north–south (…街) and roadsEW east–west (…路, …大道), as the park names them.
var (
	roadsNS = []string{
		"星湖街", "星港街", "星海街", "星华街", "星龙街", "星明街", "南施街", "青丘街", "双马街",
		"长阳街", "翠微街", "松涛街", "启月街", "凤里街",
	}
	roadsEW = []string{
		"金鸡湖大道", "现代大道", "苏虹中路", "苏虹东路", "苏虹西路", "东长路", "通园路", "钟园路",
		"港田路", "方洲路", "唯华路", "春辉路", "扬东路", "若水路", "仁爱路", "东旺路", "阳澄湖大道",
	}
)

func road(r *rand.Rand) string {
	if r.IntN(len(roadsNS)+len(roadsEW)) < len(roadsNS) {
		return pick(r, roadsNS)
	}
	return pick(r, roadsEW)
}

var (
	scales = weighted(
		choice[domain.Scale]{domain.ScaleLarge, 8}, choice[domain.Scale]{domain.ScaleMedium, 27},
		choice[domain.Scale]{domain.ScaleSmall, 38}, choice[domain.Scale]{domain.ScaleMicro, 27},
	)
	// keyLevels are by scale: provincial key enterprises are mostly large, and overall about 15%
	// are provincial, 30% municipal and the rest district.
	keyLevels = map[domain.Scale]table[domain.KeyLevel]{
		domain.ScaleLarge:  levels(60, 35, 5),
		domain.ScaleMedium: levels(25, 40, 35),
		domain.ScaleSmall:  levels(8, 30, 62),
		domain.ScaleMicro:  levels(2, 20, 78),
	}
	// registrars are the division codes of the registration authorities in a credit code: the
	// park's own, the city's and a neighbouring district's for firms that moved in.
	registrars = weighted(choice[string]{"320594", 70}, choice[string]{"320500", 20}, choice[string]{"320506", 10})
	tagCounts  = weighted(choice[int]{0, 30}, choice[int]{1, 35}, choice[int]{2, 22}, choice[int]{3, 13})
	// contactTitles are the jobs of the people an enterprise names as contacts.
	contactTitles = []string{"总经理", "行政经理", "财务总监", "项目经理", "办公室主任"}
	contactCounts = weighted(choice[int]{1, 50}, choice[int]{2, 35}, choice[int]{3, 15})
	domainSuffix  = []string{"", "", "", "-tech", "group", "sz"}
	domainTLD     = []string{".com", ".com", ".com", ".cn", ".com.cn"}
)

// Enterprises returns n enterprises of the district with distinct registered names and distinct,
// valid unified social credit codes. Each passes (*domain.Enterprise).Validate and is active; IDs,
// versions and times are left for storage to fill in.
func Enterprises(r *rand.Rand, n int) []domain.Enterprise {
	names, codes := map[string]bool{}, map[string]bool{}
	out := make([]domain.Enterprise, n)
	for i := range out {
		e := &out[i]
		e.Scale = scales.pick(r)
		e.KeyLevel = keyLevels[e.Scale].pick(r)

		var (
			t       trade
			tn      syllable
			foreign bool
			listed  bool
		)
		e.Name = unique(names, "enterprise names", func() string {
			t, tn = trades.pick(r), tradeName(r)
			switch k := r.IntN(100); {
			case k < 8: // a foreign-invested firm: 字号（苏州）…有限公司
				foreign, listed = true, false
				return tn.han + "（苏州）" + t.word + "有限公司"
			case k < 15:
				foreign, listed = false, joint(r, e.Scale)
				return district + tn.han + t.word + suffix(listed)
			default:
				foreign, listed = false, joint(r, e.Scale)
				return "苏州" + tn.han + t.word + suffix(listed)
			}
		})
		e.Industry = t.industry
		e.CreditCode = unique(codes, "credit codes", func() string { return creditCode(r) })
		rep := newName(r)
		e.LegalRepresentative = rep.han
		e.Address = address(r)
		e.Street = pick(r, Streets)
		e.Tags = tags(r, e.Scale, t.industry, foreign, listed)
		e.Contacts = contacts(r, tn, foreign, rep)
		e.Status = domain.EnterpriseActive
	}
	return out
}

func levels(provincial, municipal, district int) table[domain.KeyLevel] {
	return weighted(
		choice[domain.KeyLevel]{domain.KeyProvincial, provincial},
		choice[domain.KeyLevel]{domain.KeyMunicipal, municipal},
		choice[domain.KeyLevel]{domain.KeyDistrict, district},
	)
}

// joint reports whether an enterprise of scale s is a company limited by shares (股份有限公司)
// rather than a limited liability company; the larger, the likelier.
func joint(r *rand.Rand, s domain.Scale) bool {
	switch s {
	case domain.ScaleLarge:
		return r.IntN(2) == 0
	case domain.ScaleMedium:
		return r.IntN(7) == 0
	case domain.ScaleSmall:
		return r.IntN(30) == 0
	}
	return false
}

func suffix(joint bool) string {
	if joint {
		return "股份有限公司"
	}
	return "有限公司"
}

// creditCode returns a valid unified social credit code of an enterprise (9, 1) registered in the
// district, whose organisation code (positions 9–17) is an old-style eight digits or a new-style
// MA… code, with its own GB 11714 check character.
func creditCode(r *rand.Rand) string {
	const charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	b := make([]byte, 0, 18)
	b = append(b, "91"...)
	b = append(b, registrars.pick(r)...)
	if r.IntN(5) < 3 {
		b = append(b, "MA"...)
		for range 6 {
			b = append(b, charset[r.IntN(len(charset))])
		}
	} else {
		b = append(b, byte('1'+r.IntN(9)))
		for range 7 {
			b = append(b, byte('0'+r.IntN(10)))
		}
	}
	b = append(b, orgCodeCheck(b[8:16]))
	check, _ := domain.CreditCodeCheckChar(string(b))
	return string(append(b, check))
}

// orgCodeCheck returns the check character of an eight-character organisation code (GB 11714).
func orgCodeCheck(code []byte) byte {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range code {
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		sum += v * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// address returns a street address in the district, sometimes with a building.
func address(r *rand.Rand) string {
	a := district + road(r) + strconv.Itoa(between(r, 1, 999)) + "号"
	switch r.IntN(6) {
	case 0:
		a += strconv.Itoa(between(r, 1, 12)) + "幢"
	case 1:
		a += string(rune('A'+r.IntN(6))) + "栋"
	}
	return a
}

// tags returns up to three of Tags that fit the enterprise, in the order of Tags. Only a company
// limited by shares is listed, only foreign-invested firms are 外资企业, micro firms are never
// 规上企业 (above the statistical threshold), and the innovation labels go to manufacturers,
// software and research firms.
func tags(r *rand.Rand, s domain.Scale, industry string, foreign, listed bool) []string {
	innovative := industry == "C" || industry == "I" || industry == "M"
	fits := map[string]bool{
		"上市公司":   listed,
		"独角兽":    innovative && industry != "M" && s != domain.ScaleMicro && r.IntN(5) == 0,
		"小巨人":    industry == "C" && (s == domain.ScaleMedium || s == domain.ScaleSmall),
		"专精特新":   innovative && (s == domain.ScaleMedium || s == domain.ScaleSmall),
		"瞪羚企业":   innovative && s != domain.ScaleLarge,
		"高新技术企业": innovative,
		"规上企业":   s != domain.ScaleMicro,
	}
	var eligible []string
	for _, tag := range Tags {
		if fits[tag] {
			eligible = append(eligible, tag)
		}
	}
	k := tagCounts.pick(r)
	chosen := map[string]bool{}
	if foreign {
		chosen["外资企业"] = true
		k = max(k-1, 0)
	}
	for _, i := range r.Perm(len(eligible))[:min(k, len(eligible))] {
		chosen[eligible[i]] = true
	}
	out := []string{}
	for _, tag := range Tags {
		if chosen[tag] {
			out = append(out, tag)
		}
	}
	return out
}

// contacts returns one to three contacts with distinct jobs; the general manager is often the
// legal representative, and most have an address at the company's domain.
func contacts(r *rand.Rand, tn syllable, foreign bool, legalRep name) []domain.Contact {
	host := tn.py + pick(r, domainSuffix)
	if foreign {
		host = tn.py + "-china"
	}
	host += pick(r, domainTLD)
	titles := r.Perm(len(contactTitles))[:contactCounts.pick(r)]
	out := make([]domain.Contact, len(titles))
	used := map[string]bool{}
	for i, ti := range titles {
		c := &out[i]
		c.Title = contactTitles[ti]
		n := legalRep
		if c.Title != "总经理" || r.IntN(5) >= 2 || used[n.han] {
			unique(used, "contact names", func() string { n = newName(r); return n.han })
		}
		used[n.han] = true
		c.Name = n.han
		c.Phone = mobile(r)
		if r.IntN(4) > 0 {
			c.Email = n.emailLocal(r) + "@" + host
		}
	}
	return out
}
