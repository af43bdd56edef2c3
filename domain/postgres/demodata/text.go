package demodata

import (
	"math/rand/v2"
	"strings"
)

// TicketCategories are the names of the ticket categories (诉求类别) TicketIdea draws from, in the
// order DESIGN.md lists them: policy questions, permits, land, power, water, gas, infrastructure
// and other.
var TicketCategories = []string{"政策咨询", "审批许可", "用地", "用电", "用水", "用气", "基础设施", "其他"}

// VisitSummary returns what a steward might write after a visit (走访): a summary of what they
// learned, and one or two findings — needs or problems the enterprise raised.
func VisitSummary(r *rand.Rand) (summary, findings string) {
	var b strings.Builder
	b.WriteString(pick(r, visitOpenings))
	b.WriteString("。")
	for i, j := range r.Perm(len(visitFacts))[:between(r, 1, 2)] {
		if i > 0 {
			b.WriteString("；")
		}
		b.WriteString(fill(r, visitFacts[j]))
	}
	b.WriteString("。")
	b.WriteString(fill(r, pick(r, visitClosings)))
	b.WriteString("。")

	var f []string
	for _, j := range r.Perm(len(visitFindings))[:between(r, 1, 2)] {
		f = append(f, visitFindings[j])
	}
	return b.String(), strings.Join(f, "；") + "。"
}

// TicketIdea returns a ticket an enterprise might raise: its category (one of TicketCategories),
// a title and a description of one to three sentences.
func TicketIdea(r *rand.Rand) (category, title, description string) {
	t := pick(r, ticketIdeas)
	// Draw the numbers once so the title and the description agree.
	vals := map[string]string{}
	for _, k := range placeholders {
		vals[k] = pick(r, fillers[k])
	}
	return t.category, substitute(t.title, vals), substitute(t.description, vals)
}

type ticketIdea struct {
	category, title, description string
}

// ticketIdeas are written with placeholders in braces, filled in from fillers.
var ticketIdeas = []ticketIdea{
	{"政策咨询", "高新技术企业认定申报条件咨询", "企业计划今年申报高新技术企业，希望了解研发费用占比、知识产权数量等认定条件及申报时间节点。"},
	{"政策咨询", "研发费用加计扣除政策咨询", "企业上年度研发投入约{wan}万元，咨询研发费用加计扣除的适用范围和费用归集口径。希望税务部门安排专人辅导。"},
	{"政策咨询", "专精特新中小企业申报材料咨询", "企业拟申报省级专精特新中小企业，请协助说明申报材料清单、评分标准及截止时间。"},
	{"政策咨询", "一次性扩岗补助申领咨询", "企业今年新招用高校毕业生{hires}人，咨询一次性扩岗补助的申领条件和办理渠道。"},
	{"政策咨询", "技改项目设备投资补助政策咨询", "企业拟实施数字化车间技术改造，设备投资约{wan}万元。咨询可申报的技改补助政策、补助比例及申报时间。"},
	{"政策咨询", "首台（套）重大装备认定咨询", "企业自主研发的新型设备已完成样机验证，咨询首台（套）重大装备认定的条件和支持政策。"},
	{"审批许可", "二期厂房施工许可办理进度咨询", "企业二期厂房已完成施工图审查，{month}月提交施工许可申请，目前尚未办结。希望了解办理进度，尽快取得许可以便按期开工。"},
	{"审批许可", "扩建项目环评批复办理", "企业扩建项目环境影响报告表已编制完成并提交审批。为不影响{month}月开工计划，申请加快环评审批。"},
	{"审批许可", "排污许可证变更申请", "企业新增生产线后污染物排放量有所变化，需变更排污许可证，请指导办理流程及所需材料。"},
	{"审批许可", "研发楼消防验收办理咨询", "新建研发楼预计{month}月竣工，咨询消防验收需准备的资料及办理时限。"},
	{"审批许可", "建设工程规划许可变更", "因工艺调整需增加建筑面积约{sqm}平方米，申请办理建设工程规划许可变更，请协助明确办理路径。"},
	{"审批许可", "外籍技术人员工作许可办理", "企业引进的{people}名外籍技术人员工作许可办理周期较长，影响新产线调试进度，希望加快办理。"},
	{"用地", "新增{mu}亩工业用地需求", "企业拟扩大产能，现有厂区已无扩展空间。希望在园区内新增约{mu}亩工业用地，请协助对接用地指标。"},
	{"用地", "项目地块不动产权证书办理进度咨询", "企业已缴清项目地块土地出让金，咨询不动产权证书的办理进度及还需补充的材料。"},
	{"用地", "厂区周边闲置地块租用需求", "企业原料仓储空间不足，希望临时租用厂区东侧闲置地块约{mu}亩，请协调土地权属单位。"},
	{"用地", "工业用地提高容积率政策咨询", "企业计划在现有厂区内加建厂房，咨询工业用地提高容积率的条件及是否需要补缴土地价款。"},
	{"用电", "新增{kva}千伏安用电增容申请", "企业新上生产线投产后用电负荷增加，现有变压器容量不足。申请新增{kva}千伏安用电容量，希望尽快完成供电方案答复和接电。"},
	{"用电", "厂区频繁停电影响生产", "近一个月厂区发生{times}次非计划停电，造成部分在制品报废。请供电部门排查线路原因并采取措施。"},
	{"用电", "双电源供电改造申请", "企业洁净车间对供电连续性要求高，申请增加第二路电源，请协助出具供电方案。"},
	{"用电", "施工临时用电接入申请", "二期项目即将开工，需接入临时施工用电约{kva}千伏安，请协助加快办理。"},
	{"用水", "厂区供水压力不足", "夏季用水高峰时段厂区供水压力偏低，影响冷却系统正常运行，请供水部门检测并协助解决。"},
	{"用水", "新建厂房给水接入申请", "新建厂房即将竣工，需接入市政给水管网，日用水量约{tons}吨，请协助尽快办理。"},
	{"用水", "工业废水纳管排放申请", "企业新增清洗工序，废水经预处理后达到纳管标准，申请办理污水排入排水管网许可。"},
	{"用气", "天然气管道接入申请", "企业新建热处理车间需使用天然气，预计日用气量约{gas}立方米，申请接入市政燃气管道。"},
	{"用气", "冬季用气保供需求", "企业生产连续性强，往年冬季曾出现限气情况。希望燃气公司提前做好今冬用气保障。"},
	{"用气", "燃气调压设施扩容申请", "扩建项目投产后用气量增加约一倍，现有调压箱能力不足，申请扩容改造。"},
	{"基础设施", "厂区门口道路破损修复", "厂区门口{road}路面破损严重，大型货车通行困难，雨天积水明显，请尽快修复。"},
	{"基础设施", "增设公交站点方便员工通勤", "企业现有员工{staff}人，厂区周边{road}沿线无公交站点，员工通勤不便，希望增设站点或开通通勤线路。"},
	{"基础设施", "厂区周边路灯损坏", "{road}厂区段路灯损坏已有两周，夜班员工上下班存在安全隐患，请尽快维修。"},
	{"基础设施", "雨水管网堵塞导致厂区积水", "近期降雨后{road}一侧雨水管网排水不畅，厂区出入口积水深约二十厘米，影响车辆进出。"},
	{"基础设施", "物流车辆通行限制调整", "{road}限制货车通行时段与企业发货时间冲突，希望调整限行时段或开辟物流通道。"},
	{"基础设施", "厂区5G信号覆盖不足", "企业建设智能工厂需要稳定的5G网络，目前厂区内信号覆盖不足，希望协调运营商加建基站。"},
	{"其他", "员工子女入学咨询", "企业引进的{people}名骨干员工子女今年秋季入学，咨询积分入学政策及可协调的学位。"},
	{"其他", "招工难，希望协助对接人力资源", "企业新产线投产需招聘一线操作工约{hires}人，希望协助对接职业院校及人力资源服务机构。"},
	{"其他", "融资需求对接", "企业因订单增长需流动资金约{wan}万元，希望协助对接银行，争取信用贷款支持。"},
	{"其他", "人才公寓申请", "企业新引进研发人员{people}人，住房需求较大，申请配租人才公寓。"},
}

// fillers are the values a placeholder may take.
var fillers = map[string][]string{
	"wan":    {"300", "500", "800", "1200", "2000", "3500", "5000"},
	"people": {"3", "5", "8", "12", "20", "30"},
	"hires":  {"50", "80", "120", "200", "300"},
	"staff":  {"180", "350", "600", "1200", "2600", "5800"},
	"month":  {"3", "4", "5", "6", "7", "8", "9", "10"},
	"sqm":    {"800", "1500", "2600", "4000", "6500"},
	"mu":     {"20", "30", "45", "60", "80", "120"},
	"kva":    {"800", "1250", "2000", "2500", "4000", "6300"},
	"times":  {"2", "3", "4", "5"},
	"tons":   {"50", "120", "300", "600", "1000"},
	"gas":    {"500", "1200", "3000", "5000", "8000"},
	"road":   append(append([]string{}, roadsNS...), roadsEW...),
	"pct":    {"3.5", "5.2", "8.6", "12.3", "15.8", "21.4"},
	"yi":     {"1.2", "2.8", "4.5", "6.3", "9.7", "15.6", "32.1"},
	"policy": {"研发费用加计扣除", "稳岗补贴", "技改补助", "人才安居", "首台（套）装备认定", "专精特新培育", "外贸稳订单"},
}

// placeholders are the keys of fillers in a fixed order, so drawing them is deterministic.
var placeholders = []string{"wan", "people", "hires", "staff", "month", "sqm", "mu", "kva", "times", "tons", "gas", "road", "pct", "yi", "policy"}

func substitute(s string, vals map[string]string) string {
	for _, k := range placeholders {
		s = strings.ReplaceAll(s, "{"+k+"}", vals[k])
	}
	return s
}

// fill fills in a text's placeholders with values drawn for it alone.
func fill(r *rand.Rand, s string) string {
	for _, k := range placeholders {
		if strings.Contains(s, "{"+k+"}") {
			s = strings.ReplaceAll(s, "{"+k+"}", pick(r, fillers[k]))
		}
	}
	return s
}

var visitOpenings = []string{
	"走访了解企业生产经营情况",
	"实地走访企业，了解生产经营及项目建设情况",
	"与企业负责人座谈，了解近期经营情况和发展需求",
	"电话联系企业负责人，了解企业近期生产经营情况",
	"走访企业生产车间，了解产能利用和订单情况",
	"陪同区领导走访企业，听取企业发展情况汇报",
	"线上视频连线企业负责人，了解项目推进情况",
}

var visitFacts = []string{
	"企业今年1—{month}月实现产值{yi}亿元，同比增长{pct}%",
	"企业今年1—{month}月实现营业收入{yi}亿元，同比基本持平",
	"目前在手订单充足，生产线基本满负荷运转",
	"企业现有员工{staff}人，研发投入占营业收入比重稳步提高",
	"二期项目主体结构已封顶，预计{month}月底竣工",
	"新生产线已完成设备调试，预计下月投产",
	"受原材料价格上涨影响，企业利润率有所下降",
	"企业正在推进数字化车间改造，已完成一期设备采购",
	"出口订单较去年同期有所减少，企业正积极开拓国内市场",
	"企业新建研发中心已投入使用，新增发明专利授权若干项",
}

var visitClosings = []string{
	"宣传解读了{policy}等惠企政策",
	"宣传解读了{policy}政策，并就企业反映的问题做了记录，将协调相关部门跟进办理",
	"对企业反映的问题当场做了解答，需部门协调的已记录在案",
	"告知企业可通过企业服务平台随时提交诉求",
}

var visitFindings = []string{
	"企业新产线投产后用电负荷增加，现有变压器容量不足，有用电增容需求",
	"企业拟扩大产能，厂区已无扩展空间，希望协调新增工业用地指标",
	"二期厂房施工许可尚未取得，影响开工计划",
	"新招员工较多，人才公寓房源紧张，希望增加配租",
	"订单增长较快，流动资金紧张，有融资需求",
	"厂区周边道路限行，大型货车进出不便，希望优化物流通道",
	"扩建项目环评批复尚未取得，希望加快审批",
	"一线技术工人招工难，希望对接职业院校开展订单式培养",
	"对研发费用加计扣除政策理解不够，希望税务部门上门辅导",
	"厂区供水压力偏低，夏季高峰时段影响冷却系统运行",
	"新建热处理车间需接入天然气管道",
	"企业拟申报专精特新中小企业，需要申报辅导",
	"外籍技术人员工作许可办理周期较长",
	"厂区门口无公交站点，员工通勤不便",
	"雨季厂区周边雨水管网排水不畅，存在积水隐患",
	"出口订单受汇率波动影响，希望了解出口信用保险政策",
	"排污许可证需随产能扩大办理变更",
	"员工子女入学需求较多，希望协调学位",
	"新建厂房消防验收资料准备不全，需要指导",
	"厂区5G网络信号覆盖不足，影响智能工厂建设",
	"希望协助对接上下游配套企业，提高本地配套率",
	"计划申报高新技术企业，知识产权布局存在短板",
	"厂区周边路灯损坏，夜班员工出行存在安全隐患",
	"技改设备投资较大，希望了解技改补助政策",
	"项目地块不动产权证书尚未办理完毕",
}
