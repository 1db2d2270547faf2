"""Invented but realistic Vietnamese SMS for the text benchmark (no real names, numbers or accounts).

SHORT messages are about 70 characters, LONG about 200 (the median real SMS). Both mix ASCII notices, accented
text, teencode, money, links and a few obfuscated scams, in roughly the proportions of real traffic.
"""

SHORT = [
    "Ma OTP cua Quy khach la 482913. Ma co hieu luc trong 2 phut. Khong chia se",
    "Mã xác thực Zalo của bạn là 6142. Không chia sẻ mã này cho bất kỳ ai nhé.",
    "TK 0123xxx456 +2,000,000VND luc 10:20 27/03/2025. SD: 15,250,000VND. ND: luong",
    "Anh oi chieu nay 5h em qua lay do nhe, nho mang theo giay to xe may a",
    "Ko dc r, mai ib mik nha. Tối nay 8h đi cafe vs bn cũ ko? Nhớ mang tiền",
    "[QC] Nap the 100k tang 50k, uu dai den het 30/11. Chi tiet LH 1800 1091",
    "Don hang GHN123456VN dang giao den ban, vui long de y dien thoai. Cam on!",
    "Tài khoản của bạn bị khóa, truy cập vietcombank-xacminh.xyz để mở lại ngay",
    "Th0ng ba0: tai kh0an cua ban se bi kh0a trong 24h. D4ng nh4p de xac minh",
    "Nhà cái uy tín số 1, nạp đầu tặng 1OO%, rút tiền siêu tốc. Code 888K free",
    "Con đang ở bệnh viện, mẹ chuyển gấp 5tr vào stk 0987xxx321 giúp con với",
    "Chúc mừng sinh nhật em nha, chúc em tuổi mới thật nhiều niềm vui và sức khỏe",
    "Lich hen kham rang cua ban vao 9:00 ngay 28/11 tai Nha khoa Hoa Binh. Cam on",
    "Tuyen CTV lam viec tai nha, luong 300-500k/ngay, viec nhe luong cao. LH Zalo",
    "k h u y e n m a i lớn: SIM 4G data khủng 120GB/tháng chỉ 50k. Soạn DK gửi 191",
    "VNeID: Cong dan vui long cap nhat sinh trac hoc tai http://vneid-gov.top/xt",
    "Hôm nay trời mưa to quá, anh về sớm nhé. Em nấu cơm rồi, có canh chua cá lóc",
    "Bạn đã được duyệt khoản vay 50.000.000đ lãi 0%. Giải ngân trong 5 phút, ib",
    "EVN thong bao: Quy khach no tien dien 1.250.000d, se cat dien hom nay. LH",
    "Ѵietcombank: Giao dịch bất thường. Xác nhận tại bit.ly/vcb-xacnhan ngay!!",
    "Thứ 7 này lớp mình họp lớp ở nhà hàng Hoa Sen 6h chiều nha mọi người ơi",
    "Your verification code is 482913. Do not share this code with anyone else.",
    "Khoá học tiếng Anh giao tiếp giảm 50% học phí, đăng ký ngay hôm nay nhé",
    "Ban da trung thuong xe SH 150i tu chuong trinh tri an khach hang. Goi ngay",
    "Gói cước ST90 đã được gia hạn thành công. Ưu đãi 1GB/ngày. Chi tiết gọi 198",
    "Phạt nguội: phương tiện 30A-123.45 vi phạm, nộp phạt tại csgt-vn.online",
    "alo b oi, hum nay di hok? t dang o cong truong r, 10p nua toi nha b nha",
    "M.i.ễ.n p.h.í 100 vòng quay, nạp 200k nhận ngay 500k. Truy cập w88vn.vip",
    "Cảm ơn quý khách đã mua hàng tại Shopee. Đơn hàng sẽ giao trong 2-3 ngày.",
    "Hoà bình thuỷ lợi: thông báo lịch cắt nước khu vực phường 5 từ 8h đến 17h",
]

LONG = [
    "Ma OTP cua Quy khach la 482913. Ma co hieu luc trong 2 phut. Vietcombank KHONG yeu cau KH cung cap OTP "
    "duoi bat ky hinh thuc nao. Neu co nguoi yeu cau, vui long goi ngay 1900545413 de duoc ho tro kip thoi.",
    "Tài khoản của Quý khách đã bị tạm khóa do phát hiện giao dịch bất thường. Vui lòng truy cập "
    "https://vietcombank-xacthuc.top/login và cập nhật sinh trắc học trong vòng 24h để tránh bị khóa vĩnh viễn.",
    "TK 0123xxx456 +2,000,000VND luc 10:20 27/03/2025. SD: 15,250,000VND. ND: CONG TY ABC CHUYEN LUONG "
    "THANG 3 2025. Tran trong cam on Quy khach da su dung dich vu cua ngan hang. Hotline 1800 588 822.",
    "Th0ng ba0 tu B0 C0ng An: tai kh0an dinh danh dien tu cua ban se bi kh0a trong 24h do chua x4c thuc. "
    "Vui l0ng d4ng nh4p tai vneid-capnhat.xyz de cap nhat thong tin va tranh bi xu ly theo phap luat.",
    "Nhà cái uy tín số 1 Châu Á, nạp đầu tặng 1OO%, hoàn trả không giới hạn, rút tiền siêu tốc chỉ 3 phút. "
    "Tặng code 888K cho thành viên mới, đăng ký ngay tại w88vn.vip hoặc liên hệ Zalo 0912xxx678 để được hỗ trợ.",
    "Chào bạn, mình bên công ty TNHH Minh Phát đang tuyển CTV làm việc tại nhà, chỉ cần điện thoại có kết nối "
    "mạng, like video và đánh giá sản phẩm, lương 300-500k/ngày, thanh toán cuối ngày. Ib mik để được hướng dẫn",
    "Anh ơi tối nay mấy giờ anh về? Em đón con ở trường rồi, tiện ghé chợ mua ít rau với thịt. Mai là sinh nhật "
    "mẹ nên cuối tuần mình về quê sớm nhé, em đặt xe rồi, anh nhớ xin nghỉ sớm chiều thứ 6 nha. Yêu anh!",
    "[QC] Mung sinh nhat Viettel, tang 50% gia tri the nap cho thue bao tra truoc khi nap the tu 100.000d tro "
    "len trong ngay 28/11/2025. Chi tiet LH 198 (mien phi). Tu choi nhan QC, soan TC gui 199. Tran trong.",
    "Ko bít sao nữa, hôm qua mik đi học về muộn r bị mẹ mắng quá trời luôn. Mai bn rảnh ko, đi cf vs mik "
    "đi, mik kể cho nghe. Nhớ rủ cả Lan vs Hùng nữa nha, tầm 3h chiều ở quán cũ đó, ok ko?? Rep mik nhé",
    "Don hang #SPX0987654321 cua ban dang duoc giao. Shipper se lien he trong ngay, vui long giu dien thoai "
    "de nhan hang. Tien thu ho COD: 350.000d. Kiem tra tinh trang don hang tai ung dung Shopee. Cam on ban!",
    "EVN: Quý khách hàng mã KH PE0400123456 còn nợ tiền điện tháng 10 là 1.254.300 đồng. Điện lực sẽ tạm "
    "ngừng cấp điện trong hôm nay nếu chưa thanh toán. Thanh toán ngay qua link evn-thanhtoan.online/pay.",
    "k h u y e n m a i đặc biệt: Giảm 70% tất cả sản phẩm mỹ phẩm nhập khẩu Hàn Quốc, freeship toàn quốc, "
    "tặng kèm quà khi mua từ 2 sản phẩm. Số lượng có hạn, inbox ngay cho shop hoặc gọi 0987.xxx.321 nhé!",
    "Con đây mẹ ơi, điện thoại con bị hỏng nên mượn máy bạn nhắn. Con đang ở bệnh viện, cần gấp 15tr để đóng "
    "viện phí, mẹ chuyển vào stk 1903xxxx8812 Techcombank tên bạn con giúp con với, con gửi lại sau ạ.",
    "Lịch khám của bạn tại Bệnh viện Đa khoa Hòa Bình: 9:00 ngày 28/11/2025, phòng khám số 12, tầng 3. Vui "
    "lòng đến trước 15 phút, mang theo CCCD và thẻ BHYT. Nếu cần đổi lịch, vui lòng gọi 1900 1234 trong giờ HC.",
    "Kính gửi Quý khách, phương tiện biển số 30A-123.45 của quý khách vi phạm lỗi vượt đèn đỏ ngày 20/11. Để "
    "tránh bị tước GPLX, vui lòng nộp phạt trước 17h hôm nay tại csgt-phatnguoi.online. Cục CSGT trân trọng.",
    "Chúc mừng thuê bao 09xxxxxx12 đã trúng thưởng 1 xe SH 150i và 50.000.000đ tiền mặt từ chương trình tri "
    "ân khách hàng. Để nhận giải, vui lòng nộp phí trước bạ 2.500.000đ vào tài khoản ngân hàng bên dưới nhé.",
    "Vay tiêu dùng tín chấp không cần thế chấp, chỉ cần CCCD, giải ngân trong 30 phút, lãi suất chỉ từ 0,5%/"
    "tháng, hạn mức tới 100tr. Hồ sơ đơn giản, nợ xấu vẫn hỗ trợ. Liên hệ Zalo 0345xxx789 để được tư vấn.",
    "Ѵietcombank thông báo: Tài khоản quý khách phát sinh giao dịch bất thường 25.000.000 VND. Nếu không phải "
    "quý khách thực hiện, xác nhận huỷ giao dịch tại bit.ly/vcb-huy-gd trong 30 phút để được hoàn tiền.",
    "Họp lớp 12A1 khóa 2010: 18h thứ 7 ngày 30/11 tại nhà hàng Sen Vàng, 25 Lý Thường Kiệt. Mọi người xác "
    "nhận tham gia trước thứ 5 để mình đặt bàn nhé. Đóng góp 500k/người, chuyển khoản cho lớp trưởng nha.",
    "Your Google verification code is 771204. Don't share this code with anyone; Google will never ask for "
    "it. If you didn't request this, someone may be trying to access your account, secure it right away.",
    "M.i.ễ.n p.h.í 100 vòng quay may mắn cho tân thủ, nạp 200k nhận ngay 500k, hoàn cược mỗi ngày 1.5%. "
    "Tham gia ngay tại w88-vn.vip, hỗ trợ 24/7 qua Telegram @cskh_w88. Uy tín tạo nên thương hiệu!!!",
    "Gói cước ST90 của quý khách đã được gia hạn thành công, ưu đãi 1GB/ngày data tốc độ cao và miễn phí gọi "
    "nội mạng dưới 10 phút. Hạn sử dụng đến 28/12/2025. Chi tiết liên hệ 198 (miễn phí). Trân trọng cảm ơn.",
    "Shop ơi cho mình hỏi mẫu váy hoa nhí size M còn hàng ko ạ? Mình ở Hà Nội, ship COD được ko shop? Nếu "
    "còn thì giữ giúp mình 1 cái màu xanh nhé, mai mình chuyển khoản luôn. Cảm ơn shop nhiều nha!!",
    "Thong bao tu Cuc Thue: Ban co khoan thue TNCN chua quyet toan nam 2024 so tien 3.450.000d. Vui long "
    "hoan thanh nghia vu truoc ngay 30/11 tai thue-gov.vn-quyettoan.cc de tranh bi phat cham nop theo quy dinh.",
    "Hoà bình thuỷ lợi Sông Đà thông báo lịch cắt nước khu vực phường 5 và phường 7 từ 8h đến 17h ngày "
    "29/11 để bảo trì đường ống. Đề nghị các hộ dân chủ động trữ nước. Xin lỗi vì sự bất tiện này. Trân trọng!",
    "Chuc mung ban da duoc chon lam dai ly cap 1 cua chuong trinh. Chi can dong phi kich hoat 1tr5 la nhan "
    "ngay hoa hong 20% moi don. Lien he ngay Zalo 0867xxx234 (Ms Linh) de duoc huong dan chi tiet nhe ban.",
    "Đơn vị vận chuyển GHN thông báo: bưu phẩm của bạn bị giữ tại kho do sai địa chỉ. Vui lòng thanh toán phí "
    "lưu kho 25.000đ tại ghn-vn.top/tracking để được giao lại trong ngày. Sau 24h đơn hàng sẽ bị hoàn về.",
    "Em chào anh chị, bên em chuyên cung cấp căn hộ chung cư cao cấp quận 7, giá chỉ từ 2ty5/căn, hỗ trợ vay "
    "70%, nhận nhà ở ngay. Tặng gói nội thất 200tr cho 10 khách đầu tiên. A/c quan tâm ib em nhé, em cảm ơn!",
    "Cong an quan Hoan Kiem thong bao: ban co lien quan den vu an rua tien so 1234/CA, de nghi ban lien he "
    "ngay can bo dieu tra qua so 0812xxx567 de phoi hop, neu khong se bi truy na theo quy dinh phap luat.",
]
