import AmplificationTasks
import Foundation
import Testing

struct TaskAnswerTests {
    @Test func encodesAsAnIntegerOrNull() throws {
        let answers: [TaskAnswer] = [.value(3), .unknown, .value(-2)]
        let data = try JSONEncoder().encode(answers)
        #expect(String(decoding: data, as: UTF8.self) == "[3,null,-2]")
        #expect(try JSONDecoder().decode([TaskAnswer].self, from: data) == answers)
    }

    @Test func refusesJSONThatIsNeitherAnIntegerNorNull() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([TaskAnswer].self, from: Data(#"["three"]"#.utf8))
        }
    }

    @Test func exposesItsValue() {
        #expect(TaskAnswer.value(4).value == 4)
        #expect(TaskAnswer.unknown.value == nil)
        #expect(TaskAnswer.value(0).isKnown)
        #expect(!TaskAnswer.unknown.isKnown)
        #expect(TaskAnswer.unknown.description == "?")
    }
}
