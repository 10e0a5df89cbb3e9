"""The 7 dimension codes and 30 indicator codes of the indicator contract.

They are a public contract (/work/shared/indicator-contract.md), so the catalogue checks its
data against this fixed list rather than against whatever framework file happens to be
loaded: a typo in measures.yaml must fail here, not silently map a measure to nothing.
Chinese names are the guide's (annex 1, seed lines 5896-6247); English names match the
scm-2024 framework file so that users see one name per indicator.
"""

from __future__ import annotations

DIMENSIONS: dict[str, tuple[str, str]] = {
    "collaboration": ("供应链多维协同", "Multi-dimensional supply-chain collaboration"),
    "lean": ("精益供应链", "Lean supply chain"),
    "digital": ("供应链数字化", "Supply-chain digitalisation"),
    "green": ("绿色供应链", "Green supply chain"),
    "global": ("全球供应链", "Global supply chain"),
    "resilience": ("供应链韧性和安全水平", "Supply-chain resilience and security"),
    "talent": ("供应链人才支撑", "Supply-chain talent"),
}

# In the contract's order, which is also the tie-break order of recommendations.
INDICATORS: dict[str, tuple[str, str]] = {
    "collaboration.organization": ("供应链协作组织", "Supply-chain collaboration organisation"),
    "collaboration.online_business_coverage": (
        "全链业务在线协同率",
        "End-to-end online business coverage",
    ),
    "collaboration.partner_online_rate": (
        "合作企业在线协同率",
        "Partner online collaboration rate",
    ),
    "collaboration.resource_sharing_index": ("要素资源共享指数", "Resource sharing index"),
    "lean.sales_production_ratio": ("产销率", "Sales-to-production ratio"),
    "lean.cost_expense_ratio": ("成本费用率", "Cost-to-revenue ratio"),
    "lean.inventory_turnover": ("库存周转率", "Inventory turnover"),
    "lean.on_time_delivery_rate": ("准时交货率", "On-time delivery rate"),
    "lean.quality_pass_rate": ("产品质量合格率", "Product quality pass rate"),
    "lean.on_time_payment_rate": ("及时付款率", "On-time payment rate"),
    "digital.strategy": ("供应链数字化目标与计划", "Supply-chain digital goals and plan"),
    "digital.investment_ratio": (
        "供应链数字化建设投入占比",
        "Supply-chain digital investment ratio",
    ),
    "digital.online_order_ratio": ("供应链全业务线上化占比", "Share of orders handled online"),
    "digital.security": ("企业网络和数据安全防护", "Network and data security"),
    "green.energy_intensity": ("单位产值综合能耗", "Energy use per output value"),
    "green.carbon_intensity": ("单位产值碳排放", "Carbon emissions per output value"),
    "green.green_sales_ratio": ("绿色产品销售额占比", "Green product sales share"),
    "green.green_procurement_ratio": ("绿色产品采购额占比", "Green procurement share"),
    "green.recycled_material_ratio": (
        "原材料中再生资源的使用比例",
        "Recycled share of raw materials",
    ),
    "green.carbon_data_sharing_ratio": (
        "共享碳排放数据的合作伙伴占比",
        "Partners sharing carbon data",
    ),
    "global.overseas_revenue_ratio": ("境外业务占比", "Overseas revenue share"),
    "global.footprint": ("全球供应链布局", "Global supply-chain footprint"),
    "global.rule_participation": ("全球规则参与情况", "Participation in global rule-making"),
    "resilience.supply_control": ("供应自主可控性", "Supply autonomy and control"),
    "resilience.production_control": ("生产自主可控性", "Production autonomy and control"),
    "resilience.logistics_control": ("物流自主可控性", "Logistics autonomy and control"),
    "resilience.risk_warning": ("风险识别和预警能力", "Risk identification and early warning"),
    "talent.scm_staff_ratio": ("供应链人才占比", "Supply-chain staff ratio"),
    "talent.training": ("企业培训数量", "Supply-chain training"),
    "talent.recruit_develop": ("企业引育能力", "Talent recruitment and development"),
}

ENERGY_INDICATOR = "green.energy_intensity"
CARBON_INDICATOR = "green.carbon_intensity"
