# ruff: noqa: E501
# Prose and Markdown tables: wrapping their lines would change the rendered pages.
"""中文帮助页面。所有数字都来自 ``policies``，与英文版保持一致。"""

from __future__ import annotations

from shopmind.demo import policies as p
from shopmind.demo.docs_en import Doc


def _m(table: dict[str, int], currency: str) -> str:
    return p.money_phrase(table[currency], currency, zh=True)


def _days(region: str) -> str:
    low, high = p.DELIVERY_DAYS[region]
    return f"{low}-{high} 天"


RETURNS = f"""# 退货与退款政策

大部分商品支持**签收后 {p.RETURN_WINDOW_DAYS} 天内**退货。

## 退货条件
- 商品未使用，原包装完好，吊牌齐全。
- **不支持退货的商品**：食品零食、已拆封的美妆护肤品、标注"Final sale（最终销售）"的商品以及礼品卡。
- 质量问题或运输损坏的商品，在 {p.RETURN_WINDOW_DAYS} 天内均可退货，退货运费由我们承担。

## 退货运费
非质量问题退货，退货运单费用为 {_m(p.RETURN_SHIPPING, "CNY")}（人民币订单）、{_m(p.RETURN_SHIPPING, "USD")}（美元订单）或 {_m(p.RETURN_SHIPPING, "EUR")}（欧元订单）。质量问题退货免运费。

## 退款
我们在收到退货后 **{p.REFUND_BUSINESS_DAYS} 个工作日内**原路退款。运费仅在商品存在质量问题时退还。

## 如何申请退货
进入"我的订单"，选择订单后点击**申请退货**，或发送邮件至 {p.SUPPORT_EMAIL} 并注明订单号。
"""

SHIPPING = f"""# 配送政策

## 运费
| 服务 | 人民币 | 美元 | 欧元 |
|---|---|---|---|
| 标准配送 | {_m(p.STANDARD_SHIPPING, "CNY")} | {_m(p.STANDARD_SHIPPING, "USD")} | {_m(p.STANDARD_SHIPPING, "EUR")} |
| 包邮门槛 | 满 {_m(p.FREE_SHIPPING, "CNY")} | 满 {_m(p.FREE_SHIPPING, "USD")} | 满 {_m(p.FREE_SHIPPING, "EUR")} |
| 加急配送 | {_m(p.EXPRESS_SHIPPING, "CNY")} | {_m(p.EXPRESS_SHIPPING, "USD")} | {_m(p.EXPRESS_SHIPPING, "EUR")} |

包邮门槛按优惠后的订单金额计算。

## 发货时间
工作日**下午 4 点（{p.DISPATCH_CUTOFF}）前**下单当天发货，之后下单次个工作日发货。

## 发货后的配送时效
- 北京、上海、广州、深圳：{_days("cn_tier1")}
- 中国大陆其他城市：{_days("cn_other")}
- 新疆、西藏：{_days("cn_remote")}
- 美国本土（不含阿拉斯加和夏威夷）：{_days("us_contiguous")}
- 阿拉斯加和夏威夷：{_days("us_alaska_hawaii")}

国内由{"、".join(p.CARRIERS["zh"])}配送，美国由 {", ".join(p.CARRIERS["en"])} 配送。
"""

PAYMENT = f"""# 支付方式

**支持哪些支付方式？**
- 人民币订单：{"、".join(p.PAYMENT_METHODS["CNY"])}。
- 美元订单：{"、".join(p.PAYMENT_METHODS["USD"])}。
- 欧元订单：{"、".join(p.PAYMENT_METHODS["EUR"])}。

**什么时候扣款？** 下单时扣款。订单发货前取消的，款项将在 {p.REFUND_BUSINESS_DAYS} 个工作日内退回。

**价格含税吗？** 含税。所有价格均已包含相关税费，结算时只需另付运费。

**可以分期付款吗？** 暂不支持。
"""

WARRANTY = f"""# 保修政策

所有商品均享受制造缺陷保修：
- 手机配件、音频设备和智能穿戴：**{p.WARRANTY_MONTHS["audio"]} 个月**
- 家具：**{p.WARRANTY_MONTHS["furniture"]} 个月**
- 其他商品：**{p.DEFAULT_WARRANTY_MONTHS} 个月**

保修期自签收之日起计算，不包括意外损坏、正常磨损或使用不当。申请保修请发送订单号和故障照片至 {p.SUPPORT_EMAIL}，我们将为您维修、换货或退款。
"""

PRIVACY = f"""# 隐私政策

我们只收集处理订单所需的信息：姓名、邮箱、收货地址和订单记录，以及您在商城中的浏览和搜索记录，用于改进推荐。

- 我们绝不出售您的个人信息。
- 支付信息由支付服务商处理，我们不保存银行卡号。
- 您可以随时发送邮件至 {p.SUPPORT_EMAIL} 申请查询或删除个人数据，我们将在 **{p.ERASURE_DAYS} 天内**完成删除。
- 仅在您同意后才会发送营销邮件，每封邮件都可一键退订。
"""

TRACKING = f"""# 订单查询与物流跟踪

**我的订单到哪了？** 进入"我的订单"查看状态：已下单、已付款、已发货、已签收、已退货或已取消。

**什么时候能拿到快递单号？** 包裹出库后，我们会通过邮件发送承运商和快递单号。

**物流信息一直没有更新怎么办？** 承运商首次扫描最长可能需要 24 小时。如果 3 天没有更新，请联系 {p.SUPPORT_EMAIL}。

**配送需要多久？** 发货后，国内 {_days("cn_tier1")} 至 {_days("cn_remote")}，美国本土 {_days("us_contiguous")}，阿拉斯加和夏威夷 {_days("us_alaska_hawaii")}。
"""

CANCEL = f"""# 修改或取消订单

订单**发货前**均可取消或修改。进入"我的订单"点击**取消订单**，或发送邮件至 {p.SUPPORT_EMAIL}。

订单发货后无法取消，但可以在签收后 {p.RETURN_WINDOW_DAYS} 天内申请退货。取消订单的款项将在 {p.REFUND_BUSINESS_DAYS} 个工作日内原路退回。
"""

SIZE_GUIDE = """# 尺码指南

## 服装（胸围，厘米）
| 尺码 | XS | S | M | L | XL | XXL |
|---|---|---|---|---|---|---|
| 胸围 | 82-86 | 87-91 | 92-97 | 98-103 | 104-110 | 111-117 |

## 鞋码
| 欧码 | 38 | 39 | 40 | 41 | 42 | 43 | 44 | 45 |
|---|---|---|---|---|---|---|---|---|
| 美码（男） | 5.5 | 6.5 | 7 | 8 | 8.5 | 9.5 | 10 | 11 |
| 美码（女） | 7.5 | 8.5 | 9 | 10 | 10.5 | 11.5 | 12 | 13 |

介于两个尺码之间时，建议选择大一码。退货期内更换尺码免费。
"""

CONTACT = f"""# 联系我们

- 邮箱：{p.SUPPORT_EMAIL}
- 服务时间：{p.SUPPORT_HOURS["zh"]}
- 邮件将在一个工作日内回复。

请附上订单号，方便我们更快为您处理。
"""

COUPONS = f"""# 优惠券与促销

**有新人优惠吗？** 有，首单使用优惠码 **{p.WELCOME_CODE}** 可立减 {p.WELCOME_PERCENT}%（即打 {(100 - p.WELCOME_PERCENT) / 10:g} 折）。

**优惠券可以叠加吗？** 每个订单限用一张优惠券。

**优惠后的金额还能包邮吗？** 包邮门槛按优惠后的订单金额计算（人民币满 {_m(p.FREE_SHIPPING, "CNY")}，美元满 {_m(p.FREE_SHIPPING, "USD")}，欧元满 {_m(p.FREE_SHIPPING, "EUR")}）。
"""

ACCOUNT = f"""# 账户与安全常见问题

**必须注册才能下单吗？** 不需要，填写邮箱即可游客下单；注册账户后可以查看历史订单并保存地址。

**忘记密码怎么办？** 在登录页点击"忘记密码"，重置链接 1 小时内有效。

**如何注销账户？** 发送邮件至 {p.SUPPORT_EMAIL}，我们将在 {p.ERASURE_DAYS} 天内删除您的个人数据，仅保留法律要求的发票信息。
"""

ABOUT = """# 关于 ShopMind 演示商城

ShopMind 演示商城是一家虚构的网店，用来展示 ShopMind 的功能。商城销售数码配件、音频设备、智能穿戴、家居厨房用品、家具、玩具、图书、服饰、鞋靴、护肤品、运动户外装备、零食、宠物用品和母婴用品，支持中文和英文。

商城中的品牌、商品、顾客和评价均为虚构。
"""

DOCS: tuple[Doc, ...] = (
    ("returns", "policy", "退货与退款政策", RETURNS),
    ("shipping", "policy", "配送政策", SHIPPING),
    ("payment", "faq", "支付方式", PAYMENT),
    ("warranty", "policy", "保修政策", WARRANTY),
    ("privacy", "policy", "隐私政策", PRIVACY),
    ("order-tracking", "faq", "订单查询与物流跟踪", TRACKING),
    ("cancellations", "faq", "修改或取消订单", CANCEL),
    ("size-guide", "page", "尺码指南", SIZE_GUIDE),
    ("contact", "page", "联系我们", CONTACT),
    ("coupons", "faq", "优惠券与促销", COUPONS),
    ("account", "faq", "账户与安全常见问题", ACCOUNT),
    ("about", "page", "关于 ShopMind 演示商城", ABOUT),
)
