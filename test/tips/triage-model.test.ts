import { describe, expect, it } from 'vitest'
import { trainTriageModel, type LabelledMessage } from '../../src/tips/triage-model.js'

const luring = (text: string): LabelledMessage => ({ label: 'E', kind: 'luring-trafficking', text })
const medical = (text: string): LabelledMessage => ({ label: 'E', kind: 'medical', text })

describe('trainTriageModel: likelyKind', () => {
  it('does not hand every long message to the kind whose examples are long stories', () => {
    const model = trainTriageModel([
      luring('có người lạ quen trên mạng hẹn em ra bến xe rồi nói sẽ đưa em sang bên kia làm việc lương cao, em đang ở ngoài đó một mình'),
      luring('chị em được người quen giới thiệu đi làm ở nước ngoài, họ giữ giấy tờ của chị và không cho chị về nhà, chị vừa gọi về khóc'),
      luring('một ông lạ đứng ngoài cổng trường từ sáng, cứ cho kẹo và rủ mấy bé lớp một lên xe của ông đi chơi với ông'),
      medical('bạn em ngất ở sân trường'),
      medical('bạn em ngất trong lớp'),
      medical('thầy em ngất rồi'),
      medical('bạn em ngất xỉu'),
      medical('cô em ngất'),
      { label: 'N', text: 'mai lớp em đi tham quan ở bảo tàng' },
    ])
    // Its words "ngoài", "cổng", "một mình" come from the stories; "ngất" only from the faints.
    expect(model.likelyKind('bạn em ngất ở ngoài cổng trường, em đang ở đó một mình với bạn')).toBe('medical')
  })
})
