package demodata

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Project kinds, as domain projects name them (新建, 扩建, 技改).
const (
	KindNew        = "new"
	KindExpansion  = "expansion"
	KindRenovation = "renovation"
)

// ProjectSeed is a made-up project of an enterprise, before it has dates, a stage or an ID.
type ProjectSeed struct {
	Name string
	// Kind is KindNew, KindExpansion or KindRenovation, as the name says: a name with 扩建 is an
	// expansion, one with 技术改造 or 技改 a renovation, any other a new project.
	Kind string
	// Industry is the GB/T 4754 section letter of the owning enterprise's business.
	Industry string
	// PlannedInvestment is the planned total investment in 万元, from 2,000 to 500,000.
	PlannedInvestment float64
	// Location is the plot or the existing works the project is built on.
	Location string
}

// Projects returns n projects of the enterprise with the registered name enterpriseName, with
// distinct names that start with its trade name and suit its line of business. Names that are not
// like those of Enterprises get a manufacturer's projects.
func Projects(r *rand.Rand, enterpriseName string, n int) []ProjectSeed {
	t, ok := tradeIn(enterpriseName)
	if !ok {
		t = trade{industry: "C", products: []product{{"智能制造装备", "台套"}, {"精密零部件", "万件"}}}
	}
	prefix := shortName(enterpriseName, t)
	seen := map[string]bool{}
	out := make([]ProjectSeed, n)
	for i := range out {
		p := &out[i]
		p.Name = projectNameNotIn(r, seen, prefix, t)
		p.Kind = kindOf(p.Name)
		p.Industry = t.industry
		p.PlannedInvestment = investment(r, p.Kind)
		p.Location = location(r, p.Kind, t.products != nil)
	}
	return out
}

// projectNameNotIn returns a project name not in seen and records it. An enterprise with more
// projects than its industry has kinds of project gets later phases of the same ones.
func projectNameNotIn(r *rand.Rand, seen map[string]bool, prefix string, t trade) string {
	name := prefix + projectName(r, t)
	for range 50 {
		if !seen[name] {
			break
		}
		name = prefix + projectName(r, t)
	}
	base := name
	for phase := 2; seen[name]; phase++ {
		name = base + "（" + numeral(phase) + "期）"
	}
	seen[name] = true
	return name
}

// numeral writes 1 to 99 in Chinese numerals, larger numbers in digits.
func numeral(n int) string {
	const digits = "零一二三四五六七八九"
	d := func(i int) string { return string([]rune(digits)[i]) }
	switch {
	case n >= 100:
		return strconv.Itoa(n)
	case n < 10:
		return d(n)
	case n < 20:
		return "十" + strings.TrimPrefix(d(n%10), "零")
	default:
		return d(n/10) + "十" + strings.TrimPrefix(d(n%10), "零")
	}
}

// kindOf tells a project's kind from its name.
func kindOf(name string) string {
	switch {
	case strings.Contains(name, "扩建"):
		return KindExpansion
	case strings.Contains(name, "技术改造"), strings.Contains(name, "技改"):
		return KindRenovation
	default:
		return KindNew
	}
}

// shortName is how a project's name refers to its enterprise: the trade name and a word of the
// business, "恒达精密" for 苏州恒达精密机械有限公司.
func shortName(enterpriseName string, t trade) string {
	s := strings.TrimPrefix(enterpriseName, district)
	s = strings.TrimPrefix(s, "苏州")
	s = strings.Replace(s, "（苏州）", "", 1)
	if i := strings.Index(s, t.word); t.word != "" && i > 0 {
		s = s[:i]
	} else {
		s = strings.TrimSuffix(strings.TrimSuffix(s, "有限公司"), "股份")
	}
	if n := utf8.RuneCountInString(s); n == 0 || n > 6 {
		return ""
	}
	return s + t.short
}

// Project name templates by industry. {p} is a product with its yearly output ("50万套新能源汽车
// 零部件"), {x} a product's name alone, {t} the trade's word and {n} a phase (二期).
var (
	manufacturingProjects = []string{
		"年产{p}项目", "年产{p}新建项目", "年产{p}扩建项目", "新增年产{p}技术改造项目",
		"{x}智能化技改项目", "数字化车间技术改造项目", "智能工厂技术改造项目", "研发中心建设项目",
		"智能制造产业园{n}", "{t}产业园{n}", "{x}生产基地建设项目", "厂房扩建项目",
		"{x}生产线扩建项目", "绿色工厂节能技术改造项目", "总部及研发中心建设项目",
	}
	industryProjects = map[string][]string{
		"I": {"软件研发中心建设项目", "工业互联网平台建设项目", "数据中心建设项目", "数据中心扩建项目",
			"研发总部大楼建设项目", "智慧城市云平台建设项目", "算力中心{n}", "信息系统国产化技术改造项目"},
		"M": {"检测认证中心建设项目", "研发中心建设项目", "中试基地建设项目", "实验室扩建项目",
			"检测设备升级技术改造项目", "公共技术服务平台建设项目", "创新研究院{n}"},
		"F": {"区域总部及配送中心建设项目", "跨境电商产业园建设项目", "进口商品展示交易中心建设项目",
			"仓储配送中心扩建项目", "区域营运中心建设项目"},
		"G": {"智慧物流园建设项目", "冷链仓储中心扩建项目", "高标准仓库建设项目", "仓储自动化技术改造项目",
			"物流分拨中心建设项目", "综合物流园{n}"},
		"E": {"总部基地建设项目", "装配式建筑构件生产基地项目", "预制构件厂扩建项目", "建筑工业化技术改造项目"},
		"K": {"人才公寓建设项目", "标准厂房建设项目", "科创产业园{n}", "商业综合体建设项目", "邻里中心改扩建项目"},
		"D": {"分布式光伏发电项目", "热电联产机组技术改造项目", "天然气调压站建设项目", "供水管网改扩建项目",
			"储能电站建设项目"},
		"H": {"精品酒店建设项目", "客房楼改扩建项目", "中央厨房建设项目", "会议中心建设项目"},
		"N": {"污水处理厂提标技术改造项目", "生态修复工程项目", "固废资源化利用项目"},
		"R": {"文化创意产业园建设项目", "数字影视基地项目", "演艺中心{n}"},
	}
	// servicesProjects are for the industries without their own list.
	servicesProjects = []string{"区域总部大楼建设项目", "产业服务中心建设项目", "总部基地{n}", "办公楼扩建项目"}

	phases = []string{"一期", "二期", "二期", "三期"}

	// outputs are plausible yearly outputs for each unit.
	outputs = map[string][]int{
		"台":    {200, 500, 800, 1000, 2000, 3000, 5000},
		"台套":   {100, 300, 500, 1000, 2000},
		"套":    {100, 200, 500, 1000, 3000},
		"吨":    {500, 1000, 2000, 5000, 10000, 30000},
		"兆瓦时":  {100, 200, 500, 1000, 2000},
		"亿片":   {1, 2, 3, 5, 10},
		"亿只":   {1, 2, 5, 10, 20},
		"亿颗":   {1, 3, 5, 10, 20},
		"万人份":  {50, 100, 300, 500, 1000},
		"万平方米": {10, 20, 50, 100, 200},
	}
	outputsDefault = []int{10, 20, 30, 50, 80, 100, 200, 300, 500}
)

func projectName(r *rand.Rand, t trade) string {
	templates := manufacturingProjects
	if t.products == nil {
		templates = servicesProjects
		if ts, ok := industryProjects[t.industry]; ok {
			templates = ts
		}
	}
	s := pick(r, templates)
	if t.products != nil {
		p := pick(r, t.products)
		qs, ok := outputs[p.unit]
		if !ok {
			qs = outputsDefault
		}
		s = strings.ReplaceAll(s, "{p}", strconv.Itoa(pick(r, qs))+p.unit+p.name)
		s = strings.ReplaceAll(s, "{x}", p.name)
	}
	word := strings.TrimSuffix(t.word, "科技")
	if word == "" {
		word = "高端装备"
	}
	s = strings.ReplaceAll(s, "{t}", word)
	return strings.ReplaceAll(s, "{n}", pick(r, phases))
}

// investment returns a planned total investment in 万元, spread evenly on a log scale from 2,000
// to 500,000 (technical renovations to 100,000) and rounded as plans round it: to three
// significant figures.
func investment(r *rand.Rand, kind string) float64 {
	lo, hi := math.Log(2000), math.Log(500000)
	if kind == KindRenovation {
		hi = math.Log(100000)
	}
	v := math.Exp(lo + r.Float64()*(hi-lo))
	unit := math.Pow(10, math.Floor(math.Log10(v))-2)
	return min(max(math.Round(v/unit)*unit, 2000), 500000)
}

// location returns where the project is built: a new plot between two roads, or the existing
// works (or offices, for those who make nothing) of an expansion or a renovation.
func location(r *rand.Rand, kind string, makes bool) string {
	street := pick(r, Streets)
	if kind == KindNew {
		ew, ns := "东", "南"
		if r.IntN(2) == 0 {
			ew = "西"
		}
		if r.IntN(2) == 0 {
			ns = "北"
		}
		return street + pick(r, roadsNS) + "以" + ew + "、" + pick(r, roadsEW) + "以" + ns + "地块"
	}
	site := "现有厂区"
	if !makes {
		site = "现有园区"
	}
	return street + road(r) + strconv.Itoa(between(r, 1, 999)) + "号" + site
}
